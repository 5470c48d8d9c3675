import { Module } from '@nestjs/common';
import { MetricsModule } from '#libs/metrics';
import { WebhooksModule } from '#libs/webhooks';
import { RuleCatalogModule } from '#libs/rule-catalog';
import { QueueMetrics } from './queue-metrics.js';
import { CallQueryService } from './call-query.service.js';
import { IngestService } from './ingest.service.js';
import { OBJECT_STORAGE_PROVIDER } from './object-storage.provider.js';
import { PipelineQueues } from './pipeline-queues.service.js';
import { RedactionBackfillService } from './redaction-backfill.service.js';
import { AnalyseAudioStage } from './stages/analyse-audio.stage.js';
import { CheckStage } from './stages/check.stage.js';
import { ClipStage } from './stages/clip.stage.js';
import { RollupStage } from './stages/rollup.stage.js';
import { ScoreStage } from './stages/score.stage.js';
import { TranscribeStage } from './stages/transcribe.stage.js';
import { TranscriptionProviders } from './transcription.provider.js';
import { TranscriptImportService } from './transcript-import.service.js';
import { LLM_CLIENT_PROVIDER } from './llm/llm-client.provider.js';
import { LLM_QUESTIONS_PROVIDER, LlmCheckService } from './llm/llm-check.service.js';

const STAGES = [TranscribeStage, AnalyseAudioStage, CheckStage, ScoreStage, ClipStage, RollupStage];

/** Storage, queues, ingest, the call read model and the stage services; apps pick what they use. */
@Module({
  imports: [WebhooksModule, MetricsModule, RuleCatalogModule],
  providers: [
    OBJECT_STORAGE_PROVIDER,
    TranscriptionProviders,
    PipelineQueues,
    IngestService,
    TranscriptImportService,
    CallQueryService,
    LLM_CLIENT_PROVIDER,
    LLM_QUESTIONS_PROVIDER,
    LlmCheckService,
    RedactionBackfillService,
    QueueMetrics,
    ...STAGES,
  ],
  exports: [OBJECT_STORAGE_PROVIDER, PipelineQueues, IngestService, TranscriptImportService, CallQueryService, RedactionBackfillService, ...STAGES],
})
export class PipelineModule {}
