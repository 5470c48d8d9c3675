import { Module } from '@nestjs/common';
import { EvidenceBundleService } from './evidence-bundle.service.js';
import { EvidenceController } from './evidence.controller.js';
import { LegalHoldController } from './legal-hold.controller.js';

/** GET /v1/calls/:id/evidence-bundle and the call's legal hold. */
@Module({
  controllers: [EvidenceController, LegalHoldController],
  providers: [EvidenceBundleService],
})
export class EvidenceModule {}
