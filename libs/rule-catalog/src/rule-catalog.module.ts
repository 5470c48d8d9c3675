import { Module } from '@nestjs/common';
import { RuleCatalogService } from './rule-catalog.service.js';
import { RulePackRuntime } from './rule-pack-runtime.service.js';

/** Rule packs as data: the runtime the check stage asks for a campaign's packs, and the authoring service. */
@Module({ providers: [RulePackRuntime, RuleCatalogService], exports: [RulePackRuntime, RuleCatalogService] })
export class RuleCatalogModule {}
