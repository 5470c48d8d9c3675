import { pipeline } from 'node:stream/promises';
import { Controller, Get, Logger, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Actor } from '../audit/actor.decorator.js';
import { Roles } from '../auth/roles.decorator.js';
import { ApiMediaAnswer } from '../common/openapi.js';
import { EvidenceBundleService } from './evidence-bundle.service.js';

@ApiTags('evidence')
@Roles('admin', 'compliance')
@Controller('v1/calls')
export class EvidenceController {
  private readonly logger = new Logger(EvidenceController.name);

  constructor(private readonly bundles: EvidenceBundleService) {}

  @Get(':id/evidence-bundle')
  @ApiOperation({
    summary: "A zip of the call's evidence with a manifest of sha256 sums",
    description:
      'recording (unless retention deleted it; manifest.json says so), transcript.json (unredacted), findings.json, clips/, ' +
      'evaluation.json, reviews.json, audit.json, call.json and manifest.json { callId, generatedAt, generatedBy, recording, ' +
      'files: [{ name, bytes, sha256 }] }. The export is audited (evidence.exported, with the manifest sha256) first.',
  })
  @ApiMediaAnswer(['application/zip'], { description: 'the zip; X-Earshot-Manifest-Sha256 carries the sha256 of manifest.json' })
  @ApiNotFoundResponse({ description: 'no call with this id' })
  async bundle(@Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 400 })) id: string, @Actor() actor: string, @Res() response: Response): Promise<void> {
    const bundle = await this.bundles.build(id, actor);
    response.status(200);
    response.setHeader('Content-Type', 'application/zip');
    response.setHeader('Content-Disposition', `attachment; filename="${bundle.fileName}"`);
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('X-Earshot-Manifest-Sha256', bundle.manifestSha256);
    // streamed (chunked): a failure mid-way breaks the download instead of sending a short zip as if whole
    try {
      await pipeline(bundle.zip, response);
    } catch (error) {
      this.logger.error(`evidence bundle of call ${id} broke off: ${(error as Error).message}`, (error as Error).stack);
      response.destroy(error as Error);
    }
  }
}
