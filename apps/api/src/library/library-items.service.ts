import { Injectable } from '@nestjs/common';
import { type LibraryItemPatch, type LibraryItemRecord, LibraryRepository } from '#libs/db';
import { NotFoundError } from '../common/not-found.error.js';
import { RequestValidationError } from '../common/request-validation.error.js';
import { MAX_TOPICS, normaliseTopics } from './library-content.js';
import type { AddItemDto, UpdateItemDto } from './library.dto.js';

// a span may end at the very end of the call; float durations from ffprobe and metadata differ in the last digits
const DURATION_TOLERANCE_SECONDS = 0.05;

/** Adds and edits the examples of a collection: resolves a finding to its span, checks a call span against the call. */
@Injectable()
export class LibraryItemsService {
  constructor(private readonly library: LibraryRepository) {}

  async add(collectionId: string, dto: AddItemDto, actor: string): Promise<LibraryItemRecord> {
    const topics = topicsOrThrow(dto.topics ?? []);
    const span = await this.spanOf(dto);
    const item = await this.library.addItem(collectionId, {
      ...span,
      label: dto.label,
      topics,
      notes: dto.notes?.trim() || null,
      createdBy: actor,
    });
    if (!item) throw new NotFoundError('library collection', collectionId);
    return item;
  }

  async update(collectionId: string, itemId: string, dto: UpdateItemDto): Promise<LibraryItemRecord> {
    const patch: LibraryItemPatch = {};
    if (dto.label !== undefined) patch.label = dto.label;
    if (dto.topics !== undefined) patch.topics = topicsOrThrow(dto.topics);
    if (dto.notes !== undefined) patch.notes = dto.notes?.trim() || null;
    if (Object.keys(patch).length === 0) throw new RequestValidationError(['body: nothing to change; give label, topics or notes']);
    const item = await this.library.updateItem(collectionId, itemId, patch);
    if (!item) throw new NotFoundError('library item', `${itemId} in collection ${collectionId}`);
    return item;
  }

  private async spanOf(dto: AddItemDto): Promise<{ callId: string; findingId: string | null; startSeconds: number; endSeconds: number }> {
    if (dto.findingId !== undefined) {
      const extra = (['callId', 'startSeconds', 'endSeconds'] as const).filter((field) => dto[field] !== undefined);
      if (extra.length > 0) {
        throw new RequestValidationError(extra.map((field) => `body.${field}: not allowed with findingId (the item is the finding's span of its call)`));
      }
      const finding = await this.library.findFindingSpan(dto.findingId);
      if (!finding) throw new RequestValidationError([`body.findingId: finding ${dto.findingId} does not exist`]);
      if (finding.startSeconds === null) {
        throw new RequestValidationError([
          `body.findingId: finding ${dto.findingId} has no time in the call (a metadata finding); add a span of its call with callId, startSeconds and endSeconds instead`,
        ]);
      }
      return {
        callId: finding.callId,
        findingId: finding.id,
        startSeconds: finding.startSeconds,
        endSeconds: Math.max(finding.startSeconds, finding.endSeconds ?? finding.startSeconds),
      };
    }

    const { callId, startSeconds, endSeconds } = dto;
    if (callId === undefined || startSeconds === undefined || endSeconds === undefined) {
      const problems: string[] = [];
      if (callId === undefined) problems.push('body.callId: required unless findingId is given (give findingId, or callId with startSeconds and endSeconds)');
      if (startSeconds === undefined) problems.push('body.startSeconds: required with callId');
      if (endSeconds === undefined) problems.push('body.endSeconds: required with callId');
      throw new RequestValidationError(problems);
    }
    if (!(endSeconds > startSeconds)) throw new RequestValidationError([`body.endSeconds: must be greater than startSeconds (${startSeconds})`]);
    const call = await this.library.findCallDuration(callId);
    if (!call) throw new RequestValidationError([`body.callId: call ${callId} does not exist`]);
    if (call.durationSeconds !== null && endSeconds > call.durationSeconds + DURATION_TOLERANCE_SECONDS) {
      throw new RequestValidationError([`body.endSeconds: ${endSeconds} is past the end of the call (${call.durationSeconds} s)`]);
    }
    return { callId, findingId: null, startSeconds, endSeconds };
  }
}

function topicsOrThrow(raw: readonly string[]): string[] {
  const topics = normaliseTopics(raw);
  if (topics.length > MAX_TOPICS) throw new RequestValidationError([`body.topics: at most ${MAX_TOPICS} distinct topics (got ${topics.length})`]);
  return topics;
}
