import { Module } from '@nestjs/common';
import { RuleCatalogModule } from '#libs/rule-catalog';
import { RulesController } from './rules.controller.js';

@Module({ imports: [RuleCatalogModule], controllers: [RulesController] })
export class RulesModule {}
