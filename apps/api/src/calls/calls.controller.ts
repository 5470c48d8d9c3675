import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  Res,
  UploadedFiles,
  UseInterceptors,
} from '@nestjs/common';
import { FileFieldsInterceptor } from '@nestjs/platform-express';
import { ApiExtraModels, ApiOperation, ApiQuery, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Response } from 'express';
import { isTimeZone, normalisePhone } from '#libs/compliance';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { CallQueryService, IngestService } from '#libs/calls';
import { AuditRepository } from '#libs/db';
import { Actor } from '../audit/actor.decorator.js';
import { assertOwnCall } from '../auth/call-access.service.js';
import { CurrentPrincipal, type Principal } from '../auth/principal.js';
import { wantsUnredacted } from '../auth/unredacted-access.js';
import { InvalidTranscriptError, parseSidecarTranscript, sniffAudioFormat } from '#libs/transcription';
import { NotFoundError } from '../common/not-found.error.js';
import { RequestValidationError } from '../common/request-validation.error.js';
import { httpAnswerOf } from '../common/domain-error.filter.js';
import { validateDto } from '../common/validate-dto.js';
import { CallMetadataDto } from './call-metadata.dto.js';
import { ListCallsQuery } from './list-calls.query.js';
import { presentCall, presentCallDetails, presentCallListItem } from './call.presenter.js';
import { RuleCitations } from './rule-citations.js';
import { Roles } from '../auth/roles.decorator.js';
import { AUDIO_FILE_TYPES } from '#libs/domain';
import { TranscriptionNotConfiguredError } from './transcription-not-configured.error.js';
import { ApiAnswer, ApiBodySchema, ApiJsonBody, ApiPageAnswer } from '../common/openapi.js';
import type { CallBatchItemView, CallBatchUploadView, CallUploadView, ReanalyseView } from '#libs/api-contract';
import { ReanalyseDto } from './reanalyse.dto.js';
import { type UploadedPart, discardPart, partBytes } from '../common/upload-storage.js';

const TRANSCRIPT_IGNORED =
  'this audio was uploaded before: the transcript sent with it differs from the call\'s and was ignored; replace it with PUT /v1/calls/{id}/transcript';

/** Recordings one batch upload takes. */
const MAX_BATCH_CALLS = 100;

/** matches no agent: an agent user not linked to an agent sees no calls */
const NO_AGENT = '00000000-0000-0000-0000-000000000000';

type UploadedParts = { audio?: UploadedPart[]; transcript?: UploadedPart[] };

@ApiTags('calls')
@Roles('admin', 'qa_lead', 'compliance', 'trainer', 'agent')
@Controller('v1/calls')
export class CallsController {
  constructor(
    private readonly ingest: IngestService,
    private readonly query: CallQueryService,
    private readonly audit: AuditRepository,
    private readonly citations: RuleCitations,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Roles('admin', 'integration')
  @Post()
  @ApiOperation({
    summary: 'Upload a recording with its metadata (and optionally a sidecar transcript)',
    description:
      '201 with the new call; 200 with the existing call when the same audio was uploaded before (a transcript sent ' +
      'with it that differs from the call\'s is not stored: transcriptIgnored is true, the header Earshot-Transcript-Ignored ' +
      'says so, and PUT /v1/calls/{id}/transcript replaces a transcript); 422 naming ' +
      'TRANSCRIPTION_PROVIDER when there is no transcript and no transcription provider is configured.',
  })
  @ApiExtraModels(CallMetadataDto)
  @ApiAnswer('CallUploadView', 201, 'the new call')
  @ApiAnswer('CallUploadView', 200, 'the existing call: the same audio was uploaded before (transcriptIgnored and the header Earshot-Transcript-Ignored say when a different transcript sent with it was not stored)')
  @ApiBodySchema('multipart/form-data', {
      type: 'object',
      required: ['audio', 'metadata'],
      properties: {
        audio: { type: 'string', format: 'binary', description: 'WAV, MP3, OGG/Opus, FLAC or M4A' },
        // OpenAPI 3.1: a string holding JSON of this schema
        metadata: {
          type: 'string',
          description: 'the call metadata as a JSON text (CallMetadataDto)',
          contentMediaType: 'application/json',
          contentSchema: { $ref: getSchemaPath(CallMetadataDto) },
        },
        transcript: { type: 'string', format: 'binary', description: 'optional sidecar transcript' },
      },
  })
  @UseInterceptors(FileFieldsInterceptor([{ name: 'audio', maxCount: 1 }, { name: 'transcript', maxCount: 1 }]))
  async upload(
    @UploadedFiles() files: UploadedParts | undefined,
    @Body() body: Record<string, unknown>,
    @Res({ passthrough: true }) response: Response,
  ) {
    try {
      const audio = files?.audio?.[0];
      if (!audio) throw new RequestValidationError(['audio: a recording file is required (multipart field "audio")']);
      const metadata = parseMetadataText(body.metadata);
      const { status, view } = await this.receiveCall({ metadata, audio, transcript: files?.transcript?.[0] });
      response.status(status);
      if (view.transcriptIgnored) response.setHeader('Earshot-Transcript-Ignored', 'true');
      return view;
    } finally {
      await discardParts(files);
    }
  }

  @Roles('admin', 'integration')
  @Post('batch')
  @HttpCode(200)
  @ApiOperation({
    summary: `Upload up to ${MAX_BATCH_CALLS} recordings in one request (a dialer's batch)`,
    description:
      'metadata is a JSON array of CallMetadataDto; the i-th "audio" part is the i-th entry\'s recording, and the i-th ' +
      '"transcript" part its sidecar transcript (send one per entry, or none). Each entry is answered as POST /v1/calls ' +
      'would answer it alone (201, 200, or a 4xx with its problems naming metadata[i].field, audio[i] or transcript[i]); ' +
      'a refused entry refuses only itself. 400 when the request itself is malformed (metadata not an array, part counts ' +
      'that do not match); a server error answers the whole request, and sending it again is safe (known audio is 200).',
  })
  @ApiAnswer('CallBatchUploadView', 200, 'each entry\'s answer, in the order of the metadata')
  @ApiBodySchema('multipart/form-data', {
    type: 'object',
    required: ['audio', 'metadata'],
    properties: {
      audio: { type: 'array', items: { type: 'string', format: 'binary' }, description: 'one recording per metadata entry, in order' },
      metadata: {
        type: 'string',
        description: `a JSON array of 1 to ${MAX_BATCH_CALLS} CallMetadataDto`,
        contentMediaType: 'application/json',
        contentSchema: { type: 'array', items: { $ref: getSchemaPath(CallMetadataDto) }, minItems: 1, maxItems: MAX_BATCH_CALLS },
      },
      transcript: { type: 'array', items: { type: 'string', format: 'binary' }, description: 'optional: one sidecar transcript per metadata entry, in order' },
    },
  })
  @UseInterceptors(
    FileFieldsInterceptor([{ name: 'audio', maxCount: MAX_BATCH_CALLS }, { name: 'transcript', maxCount: MAX_BATCH_CALLS }], {
      limits: { files: 2 * MAX_BATCH_CALLS },
    }),
  )
  async uploadBatch(@UploadedFiles() files: UploadedParts | undefined, @Body() body: Record<string, unknown>): Promise<CallBatchUploadView> {
    try {
      const entries = parseBatchMetadata(body.metadata);
      const audio = files?.audio ?? [];
      const transcripts = files?.transcript ?? [];
      const problems = [
        ...(audio.length === entries.length ? [] : [`audio: ${audio.length} recordings for ${entries.length} metadata entries (one "audio" part per entry, in the same order)`]),
        ...(transcripts.length === 0 || transcripts.length === entries.length
          ? []
          : [`transcript: ${transcripts.length} transcripts for ${entries.length} metadata entries (one "transcript" part per entry, in the same order, or none)`]),
      ];
      if (problems.length > 0) throw new RequestValidationError(problems);
      // the entries go together: their reads, inserts and queue adds share statements and round trips
      const settled = await Promise.allSettled(
        entries.map((entry, index) => this.receiveCall({ metadata: entry, audio: audio[index] as UploadedPart, transcript: transcripts[index], index })),
      );
      const calls = settled.map((outcome, index): CallBatchItemView => {
        if (outcome.status === 'fulfilled') return { index, status: outcome.value.status, call: outcome.value.view, errors: [] };
        const answer = httpAnswerOf(outcome.reason, this.config.http.uploadMaxBytes);
        // nothing of a failed entry was kept, and entries stored before it are known audio on the retry
        if (answer.status >= 500) throw outcome.reason;
        return { index, status: answer.status, call: null, errors: problemsOf(answer.body) };
      });
      const count = (test: (item: CallBatchItemView) => boolean) => calls.filter(test).length;
      return { calls, created: count((c) => c.status === 201), existing: count((c) => c.status === 200), refused: count((c) => c.status >= 400) };
    } finally {
      await discardParts(files);
    }
  }

  /**
   * One recording with its metadata, validated (problems name metadata.field, audio and transcript, with [index] in a
   * batch), stored and queued: 201 with the new call, 200 with the call of the same audio uploaded before.
   */
  private async receiveCall(input: {
    metadata: unknown;
    audio: UploadedPart;
    transcript: UploadedPart | undefined;
    index?: number;
  }): Promise<{ status: 200 | 201; view: CallUploadView }> {
    const at = input.index === undefined ? '' : `[${input.index}]`;
    const { audio } = input;
    const metadata = await validateMetadata(input.metadata, `metadata${at}`);
    const format = sniffAudioFormat(audio.head);
    if (!format) {
      throw new RequestValidationError(
        [`audio${at}: not a recognised audio format (WAV, MP3, OGG/Opus, FLAC or M4A), judged from the bytes`],
        415,
      );
    }
    const sidecar = input.transcript ? await readSidecar(input.transcript, `transcript${at}`) : undefined;
    // refused now rather than accepted and failed in the transcribe stage
    if (!sidecar && !this.transcribes()) throw new TranscriptionNotConfiguredError();
    const bytes = audio.buffer ? { content: audio.buffer } : { path: audio.path };
    const result = await this.ingest.ingest({ metadata, audio: { ...bytes, sha256: audio.sha256, ...AUDIO_FILE_TYPES[format] }, sidecar });
    const notice = result.transcriptIgnored ? TRANSCRIPT_IGNORED : null;
    return { status: result.created ? 201 : 200, view: { ...presentCall(result.call), transcriptIgnored: result.transcriptIgnored, notice } };
  }

  private transcribes(): boolean {
    return this.config.transcription.provider === 'openai' && this.config.transcription.openai !== undefined;
  }

  @Get(':id')
  @ApiOperation({
    summary: 'A call with its status, transcript, metrics, findings and evaluation',
    description: 'Transcript and evidence are redacted unless ?unredacted=true, which needs admin, compliance or a granted user, and is audited.',
  })
  @ApiQuery({ name: 'unredacted', required: false, enum: ['true', 'false'] })
  @ApiAnswer('CallDetailsView')
  async get(
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 400 })) id: string,
    @Query('unredacted') rawUnredacted: unknown,
    @Actor() actor: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    const unredacted = wantsUnredacted(rawUnredacted, principal);
    const details = await this.query.details(id, { unredacted });
    if (!details) throw new NotFoundError('call', id);
    assertOwnCall(principal, details.call);
    // what is said in the call is what an audit of access is about: a view before the transcript exists shows none
    if (details.transcript !== null) await this.audit.append({ actor, action: 'call.viewed', entityType: 'call', entityId: id, details: { transcript: true, unredacted } });
    return presentCallDetails(details, (ruleId) => this.citations.of(ruleId));
  }

  @Get(':id/status')
  @ApiOperation({
    summary: "A call's pipeline status only (status, current stage, failure): for polling; shows nothing said in the call, so not audited",
  })
  async status(@Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 400 })) id: string, @CurrentPrincipal() principal: Principal) {
    const call = await this.query.call(id);
    if (!call) throw new NotFoundError('call', id);
    assertOwnCall(principal, call);
    const { status, currentStage, failure, createdAt, completedAt } = presentCall(call);
    return { id, status, currentStage, failure, createdAt, completedAt };
  }

  @Roles('admin', 'qa_lead', 'integration')
  @Post(':id/reanalyse')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Re-run a call from a chosen stage (after its campaign\'s detector, agent channel or rule packs changed), keeping its transcript',
    description:
      '202 once the call is queued at fromStage. Each stage replaces what it wrote before (findings by key, the rollup ' +
      'contribution swapped), so nothing is counted twice. 400 naming fromStage for an unknown stage; 409 while the call ' +
      'is queued or processing, or when it failed before fromStage; 410 from transcribe or analyse-audio once retention ' +
      'deleted the recording. Audited (call.reanalysed).',
  })
  @ApiJsonBody(ReanalyseDto)
  @ApiAnswer('ReanalyseView', 202, 'the call is queued again at fromStage')
  async reanalyse(
    @Param('id', new ParseUUIDPipe({ errorHttpStatusCode: 400 })) id: string,
    @Body() body: unknown,
    @Actor() actor: string,
  ): Promise<ReanalyseView> {
    const { fromStage } = await validateDto(ReanalyseDto, body, 'body');
    const call = await this.ingest.rerun(id, fromStage);
    if (!call) throw new NotFoundError('call', id);
    await this.audit.append({ actor, action: 'call.reanalysed', entityType: 'call', entityId: id, details: { fromStage } });
    return { callId: id, status: 'queued', fromStage };
  }

  @Get()
  @HttpCode(200)
  @ApiOperation({ summary: 'Calls, newest first, with filters and cursor pagination' })
  @ApiPageAnswer('CallListItemView')
  async list(@Query() rawQuery: Record<string, unknown>, @CurrentPrincipal() principal: Principal) {
    const query = await validateDto(ListCallsQuery, rawQuery, 'query');
    const page = await this.query.list(
      {
        // an agent's list holds only their own calls, whatever the query asks
        ownAgentId: principal.role === 'agent' ? (principal.agentId ?? NO_AGENT) : undefined,
        status: query.status,
        agentExternalId: query.agent,
        teamName: query.team,
        campaignExternalId: query.campaign,
        minScore: query.minScore,
        maxScore: query.maxScore,
        hasCriticalFinding: query.hasCritical,
        search: query.q?.trim() || undefined,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
      },
      query.limit ?? 50,
      query.cursor,
    );
    return { items: page.items.map(presentCallListItem), nextCursor: page.nextCursor };
  }
}

/** A multipart field holding JSON, parsed; `required` is the problem named when it is missing or empty. */
function parseJsonField(raw: unknown, required: string): unknown {
  if (typeof raw !== 'string' || raw.trim() === '') throw new RequestValidationError([required]);
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new RequestValidationError([`metadata: not valid JSON (${(error as Error).message})`]);
  }
}

function parseMetadataText(raw: unknown): unknown {
  return parseJsonField(raw, 'metadata: a JSON object is required (multipart field "metadata")');
}

function parseBatchMetadata(raw: unknown): unknown[] {
  const required = `metadata: a JSON array of 1 to ${MAX_BATCH_CALLS} call metadata objects is required (multipart field "metadata")`;
  const plain = parseJsonField(raw, required);
  if (!Array.isArray(plain) || plain.length === 0) throw new RequestValidationError([required]);
  if (plain.length > MAX_BATCH_CALLS) throw new RequestValidationError([`metadata: ${plain.length} entries, at most ${MAX_BATCH_CALLS} a batch`]);
  return plain;
}

async function validateMetadata(plain: unknown, field: string) {
  const dto = await validateDto(CallMetadataDto, plain, field);
  const phone = normalisePhone(dto.customerPhone, dto.customerCountry);
  if (!phone.ok) {
    throw new RequestValidationError([
      `${field}.customerPhone: ${phone.reason} (use E.164 such as +14155550123, or give customerCountry)`,
    ]);
  }
  if (dto.timeZone && !isTimeZone(dto.timeZone)) {
    throw new RequestValidationError([`${field}.timeZone: unknown IANA time zone "${dto.timeZone}"`]);
  }
  const { customerCountry: _country, startedAt, customerPhone: _phone, ...rest } = dto;
  return { ...rest, customerPhone: phone.e164, startedAt: new Date(startedAt) };
}

function problemsOf(body: Record<string, unknown>): string[] {
  const message = body.message;
  return Array.isArray(message) ? message.map(String) : [String(message ?? body.error ?? 'refused')];
}

async function discardParts(files: UploadedParts | undefined): Promise<void> {
  await Promise.all([...(files?.audio ?? []), ...(files?.transcript ?? [])].map(discardPart));
}

async function readSidecar(file: UploadedPart, field: string) {
  const content = await partBytes(file);
  try {
    parseSidecarTranscript(content, { filename: file.originalname, contentType: file.mimetype });
  } catch (error) {
    if (error instanceof InvalidTranscriptError) throw new RequestValidationError([`${field}: ${error.message}`], 422);
    throw error;
  }
  const extension = /\.(json|vtt|srt)$/i.exec(file.originalname)?.[1]?.toLowerCase() ?? 'json';
  return { content, contentType: file.mimetype || 'application/octet-stream', extension };
}

