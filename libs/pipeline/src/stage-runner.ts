import { Injectable } from '@nestjs/common';
import type { PipelineStage } from '#libs/queue';
import type { StageReport } from './stage-report.js';
import { AnalyseAudioStage } from './stages/analyse-audio.stage.js';
import { CheckStage } from './stages/check.stage.js';
import { ClipStage } from './stages/clip.stage.js';
import { RollupStage } from './stages/rollup.stage.js';
import { ScoreStage } from './stages/score.stage.js';
import { TranscribeStage } from './stages/transcribe.stage.js';

/** Where each stage of the graph (libs/queue pipeline.ts) runs: one service per stage, one method each. */
@Injectable()
export class StageRunner {
  private readonly stages: Record<PipelineStage, { run(callId: string): Promise<StageReport | void> }>;

  constructor(transcribe: TranscribeStage, analyseAudio: AnalyseAudioStage, check: CheckStage, score: ScoreStage, clip: ClipStage, rollup: RollupStage) {
    this.stages = { transcribe, 'analyse-audio': analyseAudio, check, score, clip, rollup };
  }

  async run(stage: PipelineStage, callId: string): Promise<StageReport> {
    return (await this.stages[stage].run(callId)) ?? {};
  }
}
