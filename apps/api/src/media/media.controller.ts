import { Controller, Get, Param, ParseUUIDPipe, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AuditRepository, CallRepository, MediaRepository } from '#libs/db';
import { Actor } from '../audit/actor.decorator.js';
import { CallAccess, assertOwnCall } from '../auth/call-access.service.js';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { wantsUnredacted } from '../auth/unredacted-access.js';
import { NotReadyError } from '../common/not-ready.error.js';
import { NotFoundError } from '../common/not-found.error.js';
import { ApiMediaAnswer } from '../common/openapi.js';
import { MediaNotFoundError } from './media-not-found.error.js';
import { MediaResponder } from './media-responder.js';
import { WaveformService } from './waveform.service.js';
import { Roles } from '../auth/roles.decorator.js';
import { audioContentTypeOf, audioExtensionOf } from '#libs/domain';
import { RecordingDeletedError } from '#libs/calls';


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
    private readonly waveforms: WaveformService,
  ) {}

  @Get('calls/:id/waveform')
  @ApiOperation({
    summary: "The waveform of the call's recording as the console draws it: per channel, the peak of each of up to 2,000 buckets",
    description: 'Of the recording with redacted speech muted, unless ?unredacted=true (which needs what the recording itself needs). Computed once, then kept in storage.',
  })
  @ApiQuery({ name: 'unredacted', required: false, enum: ['true', 'false'] })
  @ApiResponse({ status: 200, description: '{ durationSeconds, channels: number[][] }' })
  @ApiResponse({ status: 409, description: 'the muted copy is not made yet' })
  @ApiResponse({ status: 410, description: 'retention deleted the recording' })
  async callWaveform(@Param('id', uuid) id: string, @CurrentPrincipal() principal: Principal, @Query('unredacted') rawUnredacted: unknown) {
    const unredacted = wantsUnredacted(rawUnredacted, principal);
    const call = await this.calls.findById(id);
    if (!call) throw new NotFoundError('call', id);
    assertOwnCall(principal, call);
    if (call.audioDeletedAt) throw new RecordingDeletedError(id, call.audioDeletedAt);
    const key = unredacted ? call.audioKey : call.redactedAudioKey;
    if (!key) throw new NotReadyError(`the recording of call ${id} with redacted speech muted is not made yet (the analyse-audio stage makes it); try again later`);
    return this.waveforms.peaks(call, key);
  }

  @Get('calls/:id/audio')
  @ApiOperation({
    summary: "The call's recording, with redacted speech muted unless ?unredacted=true",
    description:
      'Streams with HTTP Range support (206, 416), or 302 to a short-lived presigned URL when MEDIA_DELIVERY=redirect. ' +
      'The unredacted recording as uploaded needs admin, compliance or a granted user, and is audited as such.',
  })
  @ApiQuery({ name: 'unredacted', required: false, enum: ['true', 'false'] })
  @ApiResponse({ status: 409, description: 'the muted copy is not made yet (the analyse-audio stage makes it)' })
  @ApiMediaAnswer(['audio/*'], { description: 'the whole recording' })
  @ApiMediaAnswer(['audio/*'], { status: 206, description: 'the requested byte range' })
  @ApiResponse({ status: 302, description: 'presigned object-storage URL' })
  @ApiResponse({ status: 410, description: 'retention deleted the recording (the body says when)' })
  async callAudio(
    @Param('id', uuid) id: string,
    @Req() request: Request,
    @Res() response: Response,
    @Actor() actor: string,
    @CurrentPrincipal() principal: Principal,
    @Query('unredacted') rawUnredacted: unknown,
  ): Promise<void> {
    const unredacted = wantsUnredacted(rawUnredacted, principal);
    const call = await this.calls.findById(id);
    if (!call) throw new NotFoundError('call', id);
    assertOwnCall(principal, call);
    if (call.audioDeletedAt) {
      throw new RecordingDeletedError(id, call.audioDeletedAt);
    }
    const key = unredacted ? call.audioKey : call.redactedAudioKey;
    if (!key) throw new NotReadyError(`the recording of call ${id} with redacted speech muted is not made yet (the analyse-audio stage makes it); try again later`);
    const extension = key === call.audioKey ? audioExtensionOf(call.audioContentType) : (key.split('.').at(-1) ?? 'audio');
    await this.audit.append({ actor, action: 'recording.accessed', entityType: 'call', entityId: id, details: { range: request.headers.range ?? null, unredacted } });
    await this.responder.send(
      {
        key,
        contentType: key === call.audioKey ? call.audioContentType : audioContentTypeOf(extension),
        fileName: `call-${id}${unredacted ? '' : '-redacted'}.${extension}`,
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
  @ApiMediaAnswer(['audio/mpeg', 'audio/ogg'], { description: 'the whole clip' })
  @ApiMediaAnswer(['audio/mpeg', 'audio/ogg'], { status: 206, description: 'the requested byte range' })
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
    if (!finding.clipKey && finding.recordingDeletedAt) throw new RecordingDeletedError(finding.callId, finding.recordingDeletedAt, `the clip of finding ${id}`);
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
