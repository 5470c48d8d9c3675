import { Global, Module } from '@nestjs/common';
import { PRISMA_SERVICE_PROVIDER, PrismaService } from './prisma.service.js';
import { CallRepository } from './repositories/call.repository.js';
import { CallResultsRepository } from './repositories/call-results.repository.js';
import { RollupRepository } from './repositories/rollup.repository.js';
import { LevelRollupRepository } from './repositories/level-rollup.repository.js';
import { AgentPageRepository } from './repositories/agent-page.repository.js';
import { ScorecardRepository } from './repositories/scorecard.repository.js';
import { EvaluationRepository } from './repositories/evaluation.repository.js';
import { OutcomeRepository } from './repositories/outcome.repository.js';
import { AlertRepository } from './repositories/alert.repository.js';
import { MediaRepository } from './repositories/media.repository.js';
import { OptOutRepository } from './repositories/opt-out.repository.js';
import { WebhookDeliveryRepository } from './repositories/webhook-delivery.repository.js';
import { AuditRepository } from './repositories/audit.repository.js';
import { SecurityEventRepository } from './repositories/security-event.repository.js';
import { ReviewRepository } from './repositories/review.repository.js';
import { LlmCheckRepository } from './repositories/llm-check.repository.js';
import { CampaignRepository } from './repositories/campaign.repository.js';
import { RetentionRepository } from './repositories/retention.repository.js';
import { EvidenceRepository } from './repositories/evidence.repository.js';
import { LibraryRepository } from './repositories/library.repository.js';
import { AccessRepository } from './repositories/access.repository.js';
import { RulePackRepository } from './repositories/rule-pack.repository.js';
import { RuleBacktestRunRepository } from './repositories/rule-backtest-run.repository.js';
import { LlmQuestionRepository } from './repositories/llm-question.repository.js';
import { CalibrationRepository } from './repositories/calibration.repository.js';
import { RecheckRepository } from './repositories/recheck.repository.js';

const REPOSITORIES = [
  CallRepository,
  CallResultsRepository,
  CampaignRepository,
  RollupRepository,
  LevelRollupRepository,
  AgentPageRepository,
  ScorecardRepository,
  EvaluationRepository,
  OutcomeRepository,
  AlertRepository,
  MediaRepository,
  OptOutRepository,
  WebhookDeliveryRepository,
  AuditRepository,
  SecurityEventRepository,
  ReviewRepository,
  LlmCheckRepository,
  RetentionRepository,
  EvidenceRepository,
  LibraryRepository,
  AccessRepository,
  RulePackRepository,
  RuleBacktestRunRepository,
  LlmQuestionRepository,
  CalibrationRepository,
  RecheckRepository,
];

@Global()
@Module({
  providers: [PRISMA_SERVICE_PROVIDER, ...REPOSITORIES],
  exports: [PrismaService, ...REPOSITORIES],
})
export class DatabaseModule {}
