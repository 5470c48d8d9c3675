import { Module } from '@nestjs/common';
import { RuleBacktestService } from './rule-backtest.service.js';
import { RulesController } from './rules.controller.js';

@Module({ providers: [RuleBacktestService], controllers: [RulesController] })
export class RulesModule {}
