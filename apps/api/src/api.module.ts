import { type MiddlewareConsumer, Module, type NestModule } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { SpillingUploadStorage } from './common/upload-storage.js';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { DatabaseModule } from '#libs/db';
import { CallsModule } from '#libs/calls';
import { QueueModule } from '#libs/queue';
import { StorageModule } from '#libs/storage';
import { LoggingModule } from '#libs/logging';
import { TempFileSweepModule } from '#libs/lifecycle';
import { CallsController } from './calls/calls.controller.js';
import { RuleCitations } from './calls/rule-citations.js';
import { CampaignsController } from './campaigns/campaigns.controller.js';
import { HealthController } from './health/health.controller.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { AlertsController } from './evaluation/alerts.controller.js';
import { EvaluationController } from './evaluation/evaluation.controller.js';
import { EvaluationQueryService } from './evaluation/evaluation-query.service.js';
import { OutcomesController } from './outcomes/outcomes.controller.js';
import { OutcomeImportService } from './outcomes/outcome-import.service.js';
import { ScorecardsController } from './scorecards/scorecards.controller.js';
import { TranscriptsController } from './transcripts/transcripts.controller.js';
import { MediaModule } from './media/media.module.js';
import { OptOutsController } from './opt-outs/opt-outs.controller.js';
import { RulesModule } from './rules/rules.module.js';
import { RulePacksModule } from './rule-packs/rule-packs.module.js';
import { LlmQuestionsModule } from './llm-questions/llm-questions.module.js';
import { CalibrationController } from './calibration/calibration.controller.js';
import { AuditController } from './audit/audit.controller.js';
import { AuditAnchor } from './audit/audit-anchor.service.js';
import { ReviewQueueController } from './reviews/review-queue.controller.js';
import { RulePrecisionController } from './reviews/rule-precision.controller.js';
import { EvaluationFeedbackController } from './reviews/evaluation-feedback.controller.js';
import { ReviewService } from './reviews/review.service.js';
import { EvidenceModule } from './evidence/evidence.module.js';
import { RetentionApiModule } from './retention/retention-api.module.js';
import { LibraryModule } from './library/library.module.js';
import { AuthModule } from './auth/auth.module.js';
import { HostileInputMiddleware } from './common/hostile-input.middleware.js';
import { QueueDashboardController } from './queues/queue-dashboard.controller.js';
import { QueueDashboard } from './queues/queue-dashboard.service.js';

@Module({
  imports: [
    LoggingModule,
    TempFileSweepModule,
    DatabaseModule,
    StorageModule,
    QueueModule,
    CallsModule,
    AuthModule,
    MediaModule,
    RulesModule,
    RulePacksModule,
    LlmQuestionsModule,
    EvidenceModule,
    RetentionApiModule,
    LibraryModule,
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        // parts over 4 MiB (or past 16 MiB a request) spill to their own folder, which the temp-file sweeper empties of
        // parts a killed process left
        storage: new SpillingUploadStorage({ dir: config.tempFiles.uploadDir, memoryLimit: 4 * 1024 * 1024, requestMemoryLimit: 16 * 1024 * 1024 }),
        limits: { fileSize: config.http.uploadMaxBytes, files: 2, fields: 4, fieldSize: 1024 * 1024 },
      }),
    }),
  ],
  controllers: [
    MetricsController,
    QueueDashboardController,
    CallsController, CampaignsController, TranscriptsController, HealthController, OptOutsController, EvaluationController, AlertsController, ScorecardsController, OutcomesController, ReviewQueueController, RulePrecisionController, EvaluationFeedbackController, AuditController, CalibrationController],
  providers: [RuleCitations, EvaluationQueryService, OutcomeImportService, ReviewService, QueueDashboard, AuditAnchor],
})
export class ApiModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(HostileInputMiddleware).forRoutes('{*path}');
  }
}
