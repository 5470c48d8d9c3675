import { Module } from '@nestjs/common';
import { RuleCatalogModule } from '#libs/rule-catalog';
import { RulesModule } from '../rules/rules.module.js';
import { RulePacksController } from './rule-packs.controller.js';
import { RuleBacktestJobs } from './rule-backtest-jobs.service.js';

@Module({ imports: [RuleCatalogModule, RulesModule], providers: [RuleBacktestJobs], controllers: [RulePacksController] })
export class RulePacksModule {}
