import { Module } from '@nestjs/common';
import { RuleCatalogModule } from '#libs/rule-catalog';
import { RuleBacktestService } from './rule-backtest.service.js';
import { RulesController } from './rules.controller.js';

@Module({ imports: [RuleCatalogModule], providers: [RuleBacktestService], controllers: [RulesController], exports: [RuleBacktestService] })
export class RulesModule {}
