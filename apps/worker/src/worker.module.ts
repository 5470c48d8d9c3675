import { Module } from '@nestjs/common';
import { ConfigModule } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { LoggingModule } from '#libs/logging';
import { TempFileSweepModule } from '#libs/lifecycle';
import { PipelineModule, PipelineWorkerHost, STAGE_PROCESSORS, type StageProcessor } from '#libs/pipeline';
import { RetentionModule } from '#libs/retention';
import { WebhookDeliveryModule } from '#libs/webhooks';
import { AnalyseAudioProcessor } from './processors/analyse-audio.processor.js';
import { CheckProcessor } from './processors/check.processor.js';
import { ClipProcessor } from './processors/clip.processor.js';
import { RollupProcessor } from './processors/rollup.processor.js';
import { ScoreProcessor } from './processors/score.processor.js';
import { TranscribeProcessor } from './processors/transcribe.processor.js';
import { StrandedCallsSweeper } from './stranded-calls.sweeper.js';
import { RedactionBackfillProcessor } from './redaction-backfill.processor.js';
import { RetentionSweepProcessor } from './retention-sweep.processor.js';

const PROCESSORS = [TranscribeProcessor, AnalyseAudioProcessor, CheckProcessor, ScoreProcessor, ClipProcessor, RollupProcessor];

@Module({
  imports: [ConfigModule, LoggingModule, TempFileSweepModule, DatabaseModule, PipelineModule, WebhookDeliveryModule, RetentionModule],
  providers: [
    ...PROCESSORS,
    { provide: STAGE_PROCESSORS, inject: PROCESSORS, useFactory: (...processors: StageProcessor[]) => processors },
    PipelineWorkerHost,
    StrandedCallsSweeper,
    RetentionSweepProcessor,
    RedactionBackfillProcessor,
  ],
})
export class WorkerModule {}
