import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Put, Req, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiNotFoundResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import type { Speaker } from '#libs/domain';
import { TranscriptImportService } from '#libs/calls';
import { InvalidTranscriptError } from '#libs/transcription';
import { NotFoundError } from '../common/not-found.error.js';
import { RequestValidationError } from '../common/request-validation.error.js';
import { Roles } from '../auth/roles.decorator.js';
import { AuditRepository } from '#libs/db';
import { Actor } from '../audit/actor.decorator.js';
import { discardPart, partBytes } from '../common/upload-storage.js';

/** The sidecar parser's own limit; a raw body is not read past it. */
const MAX_TRANSCRIPT_BYTES = 20 * 1024 * 1024;
const SPEAKERS = new Set<string>(['agent', 'customer', 'unknown']);

@ApiTags('calls')
@Roles('admin', 'integration')
@Controller('v1/calls')
export class TranscriptsController {
  constructor(
    private readonly imports: TranscriptImportService,
    private readonly audit: AuditRepository,
  ) {}

  @Put(':id/transcript')
  @HttpCode(202)
  @ApiOperation({
    summary: "Import a call's transcript later and re-run the call's pipeline from the start",
    description:
      'Earshot JSON (earshot.transcript.v1), AWS Transcribe JSON (channel or speaker labels, or Call Analytics), WebVTT or ' +
      'SRT with speaker tags. Send it as the multipart file field "transcript" (any size up to 20 MB), or as the raw body ' +
      '(text/vtt, application/x-subrip, text/plain; application/json up to the JSON body limit of 100 kB). The call is ' +
      'queued again; the imported transcript replaces any earlier one. 409 while the call is queued or processing: ' +
      'nothing is stored then, and the run in progress is left alone.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiConsumes('multipart/form-data', 'application/json', 'text/vtt', 'application/x-subrip', 'text/plain')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['transcript'],
      properties: {
        transcript: { type: 'string', format: 'binary', description: 'the transcript file' },
        speakerMap: {
          type: 'string',
          description: 'optional JSON object: speaker label or name → agent|customer|unknown, e.g. {"spk_0":"agent"}',
        },
      },
    },
  })
  @ApiAcceptedResponse({ description: '{ callId, status: "queued", transcript: { provider, language, rolesSource, segments } }' })
  @ApiBadRequestResponse({ description: 'no transcript sent, a bad speakerMap, or an id that is not a UUID' })
  @ApiNotFoundResponse({ description: 'no call with this id' })
  @ApiConflictResponse({ description: 'the call is queued or processing: try again once it is completed or failed' })
  @ApiUnprocessableEntityResponse({ description: 'a malformed transcript; the message names the problem and where' })
  @UseInterceptors(FileInterceptor('transcript'))
  async put(
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 400 })) id: string,
    @UploadedFile() file: Express.Multer.File | undefined,
    @Body() body: unknown,
    @Req() request: Request,
    @Actor() actor: string,
  ) {
    try {
      const fields = file ? (body as Record<string, unknown>) : {};
      const speakerMap = parseSpeakerMap(fields.speakerMap);
      const content = file ? await partBytes(file) : await rawTranscript(request, body);
      const contentType = file?.mimetype ?? request.headers['content-type'];
      let transcript;
      try {
        transcript = await this.imports.importTranscript(id, { content, filename: file?.originalname, contentType, speakerMap });
      } catch (error) {
        if (error instanceof InvalidTranscriptError) throw new RequestValidationError([`transcript: ${error.message}`], 422);
        throw error;
      }
      if (!transcript) throw new NotFoundError('call', id);
      await this.audit.append({ actor, action: 'transcript.replaced', entityType: 'call', entityId: id, details: { provider: transcript.provider, segments: transcript.segments.length } });
      return {
        callId: id,
        status: 'queued',
        transcript: {
          provider: transcript.provider,
          language: transcript.language ?? null,
          rolesSource: transcript.rolesSource,
          segments: transcript.segments.length,
        },
      };
    } finally {
      if (file) await discardPart(file);
    }
  }
}

function parseSpeakerMap(raw: unknown): Record<string, Speaker> | undefined {
  if (raw === undefined || raw === '') return undefined;
  let plain: unknown;
  try {
    plain = typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch (error) {
    throw new RequestValidationError([`speakerMap: not valid JSON (${(error as Error).message})`]);
  }
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    throw new RequestValidationError(['speakerMap: must be a JSON object of label → agent|customer|unknown']);
  }
  const map: Record<string, Speaker> = {};
  for (const [label, role] of Object.entries(plain)) {
    if (typeof role !== 'string' || !SPEAKERS.has(role)) {
      throw new RequestValidationError([`speakerMap.${label}: must be agent, customer or unknown`]);
    }
    map[label] = role as Speaker;
  }
  return map;
}

/** The transcript sent as the request body: JSON already parsed by the body parser, anything else read raw. */
async function rawTranscript(request: Request, parsed: unknown): Promise<Buffer> {
  const missing = 'transcript: a transcript is required (multipart file field "transcript", or the request body)';
  if (request.is('multipart/form-data')) throw new RequestValidationError([missing]);
  if (request.readableEnded) {
    // The JSON body parser consumed the stream; an empty or non-object body means nothing usable was sent.
    if (typeof parsed === 'object' && parsed !== null && Object.keys(parsed).length > 0) return Buffer.from(JSON.stringify(parsed), 'utf8');
    throw new RequestValidationError([missing]);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_TRANSCRIPT_BYTES) {
      throw new RequestValidationError([`transcript: larger than ${MAX_TRANSCRIPT_BYTES} bytes`], 413);
    }
    chunks.push(chunk as Buffer);
  }
  if (size === 0) throw new RequestValidationError([missing]);
  return Buffer.concat(chunks);
}
