import { Module } from '@nestjs/common';
import { CallsModule } from '#libs/calls';
import { LlmChecksModule } from '#libs/llm-checks';
import { TranscriptionProviders } from '#libs/transcription';
import { WebhooksModule } from '#libs/webhooks';
import { LevelAlertsModule } from '#libs/level-alerts';
import { RuleCatalogModule } from '#libs/rule-catalog';
import { RedactionBackfillService } from './redaction-backfill.service.js';
import { StageRunner } from './stage-runner.js';
import { AnalyseAudioStage } from './stages/analyse-audio.stage.js';
import { CheckStage } from './stages/check.stage.js';
import { ClipStage } from './stages/clip.stage.js';
import { RollupStage } from './stages/rollup.stage.js';
import { ScoreStage } from './stages/score.stage.js';
import { TranscribeStage } from './stages/transcribe.stage.js';

const STAGES = [TranscribeStage, AnalyseAudioStage, CheckStage, ScoreStage, ClipStage, RollupStage];

/** The stages of a call and the redaction backfill: what the worker app runs from its queues. */
@Module({
  imports: [CallsModule, WebhooksModule, LlmChecksModule, LevelAlertsModule, RuleCatalogModule],
  providers: [TranscriptionProviders, RedactionBackfillService, StageRunner, ...STAGES],
  exports: [StageRunner, RedactionBackfillService],
})
export class PipelineModule {}
