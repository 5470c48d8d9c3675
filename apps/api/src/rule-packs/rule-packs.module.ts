import { Module } from '@nestjs/common';
import { RuleCatalogModule } from '#libs/rule-catalog';
import { RulesModule } from '../rules/rules.module.js';
import { RulePacksController } from './rule-packs.controller.js';

@Module({ imports: [RuleCatalogModule, RulesModule], controllers: [RulePacksController] })
export class RulePacksModule {}
