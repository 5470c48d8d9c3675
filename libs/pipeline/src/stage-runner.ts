import { Injectable } from '@nestjs/common';
import { CallRepository, CallResultsRepository } from '#libs/db';
import type { PipelineStage } from '#libs/queue';
import type { StageReport } from './stage-report.js';
import { AnalyseAudioStage } from './stages/analyse-audio.stage.js';
import { StageCall } from './stages/call-loader.js';
import { CheckStage } from './stages/check.stage.js';
import { ClipStage } from './stages/clip.stage.js';
import { RollupStage } from './stages/rollup.stage.js';
import { ScoreStage } from './stages/score.stage.js';
import { TranscribeStage } from './stages/transcribe.stage.js';

/** Where each stage of the graph (libs/queue pipeline.ts) runs: one service per stage, one method each. */
@Injectable()
export class StageRunner {
  private readonly stages: Record<PipelineStage, { run(call: StageCall): Promise<StageReport | void> }>;

  constructor(
    private readonly calls: CallRepository,
    private readonly results: CallResultsRepository,
    transcribe: TranscribeStage,
    analyseAudio: AnalyseAudioStage,
    check: CheckStage,
    score: ScoreStage,
    clip: ClipStage,
    rollup: RollupStage,
  ) {
    this.stages = { transcribe, 'analyse-audio': analyseAudio, check, score, clip, rollup };
  }

  /** The call as one job's stages share it (see StageCall): make one per job, pass it to each stage the job runs. */
  callOf(callId: string): StageCall {
    return new StageCall(this.calls, this.results, callId);
  }

  async run(stage: PipelineStage, call: StageCall): Promise<StageReport> {
    return (await this.stages[stage].run(call)) ?? {};
  }
}
