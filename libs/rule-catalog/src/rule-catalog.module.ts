import { Module } from '@nestjs/common';
import { RuleCatalogService } from './rule-catalog.service.js';
import { RulePackRuntime } from './rule-pack-runtime.service.js';
import { RuleBacktestService } from './rule-backtest.service.js';
import { RuleBacktestJobs } from './rule-backtest-jobs.service.js';
import { RuleRecheckService } from './rule-recheck.service.js';

const PROVIDERS = [RulePackRuntime, RuleCatalogService, RuleBacktestService, RuleBacktestJobs, RuleRecheckService];

/** Rule packs as data: the runtime the check stage asks for a campaign's packs, authoring, backtests and re-checks. */
@Module({ providers: PROVIDERS, exports: PROVIDERS })
export class RuleCatalogModule {}
