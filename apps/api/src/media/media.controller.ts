import { Controller, Get, Param, ParseUUIDPipe, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditRepository, CallRepository, MediaRepository } from '#libs/db';
import { Actor } from '../audit/actor.decorator.js';
import { CallAccess, assertOwnCall } from '../auth/call-access.service.js';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { NotFoundError } from '../common/not-found.error.js';
import { GoneError } from '../common/gone.error.js';
import { MediaNotFoundError } from './media-not-found.error.js';
import { MediaResponder } from './media-responder.js';
import { Roles } from '../auth/roles.decorator.js';

const EXTENSIONS: Record<string, string> = {
  'audio/wav': 'wav',
  'audio/mpeg': 'mp3',
  'audio/ogg': 'ogg',
  'audio/flac': 'flac',
  'audio/mp4': 'm4a',
};

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 400 });

@ApiTags('media')
@Roles('admin', 'qa_lead', 'compliance', 'trainer', 'agent')
@Controller('v1')
export class MediaController {
  constructor(
    private readonly calls: CallRepository,
    private readonly media: MediaRepository,
    private readonly responder: MediaResponder,
    private readonly audit: AuditRepository,
    private readonly callAccess: CallAccess,
  ) {}

  @Get('calls/:id/audio')
  @ApiOperation({
    summary: "The call's recording as uploaded",
    description: 'Streams with HTTP Range support (206, 416), or 302 to a short-lived presigned URL when MEDIA_DELIVERY=redirect.',
  })
  @ApiProduces('audio/*')
  @ApiResponse({ status: 206, description: 'the requested byte range' })
  @ApiResponse({ status: 302, description: 'presigned object-storage URL' })
  @ApiResponse({ status: 410, description: 'retention deleted the recording (the body says when)' })
  async callAudio(
    @Param('id', uuid) id: string,
    @Req() request: Request,
    @Res() response: Response,
    @Actor() actor: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    const call = await this.calls.findById(id);
    if (!call) throw new NotFoundError('call', id);
    assertOwnCall(principal, call);
    if (call.audioDeletedAt) {
      throw new GoneError(`the recording of call ${id} was deleted by retention on ${call.audioDeletedAt.toISOString()}; its findings, confirmed clips and transcript remain`);
    }
    await this.audit.append({ actor, action: 'recording.accessed', entityType: 'call', entityId: id, details: { range: request.headers.range ?? null } });
    await this.responder.send(
      {
        key: call.audioKey,
        contentType: call.audioContentType,
        fileName: `call-${id}.${EXTENSIONS[call.audioContentType] ?? 'audio'}`,
        missing: { what: 'recording of call', id },
      },
      request,
      response,
    );
  }

  @Get('findings/:id/clip')
  @ApiOperation({
    summary: "The audio clip around a finding's evidence",
    description: 'Streams with HTTP Range support (206, 416), or 302 to a short-lived presigned URL when MEDIA_DELIVERY=redirect.',
  })
  @ApiProduces('audio/mpeg', 'audio/ogg')
  @ApiResponse({ status: 206, description: 'the requested byte range' })
  @ApiResponse({ status: 302, description: 'presigned object-storage URL' })
  async findingClip(
    @Param('id', uuid) id: string,
    @Req() request: Request,
    @Res() response: Response,
    @Actor() actor: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    const finding = await this.media.findFindingClip(id);
    if (!finding) throw new NotFoundError('finding', id);
    await this.callAccess.assertMaySee(principal, finding.callId);
    if (!finding.clipKey) {
      throw new MediaNotFoundError(
        'clip of finding',
        id,
        finding.timed
          ? 'does not exist yet (the clip stage has not cut it, or its evidence lies outside the recording)'
          : 'does not exist: the finding has no time in the call (a metadata finding)',
      );
    }
    await this.audit.append({ actor, action: 'clip.accessed', entityType: 'finding', entityId: id, details: { range: request.headers.range ?? null } });
    const extension = finding.clipKey.split('.').at(-1) ?? 'mp3';
    await this.responder.send(
      {
        key: finding.clipKey,
        contentType: extension === 'ogg' ? 'audio/ogg' : 'audio/mpeg',
        fileName: `finding-${id}.${extension}`,
        missing: { what: 'clip of finding', id },
      },
      request,
      response,
    );
  }
}
