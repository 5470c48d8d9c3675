import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client.js';
import { type GroupCommit, batchedReads, lowerCase } from '../group-commit.js';
import { batchedUpserts } from './upsert-rows.js';
import { PrismaService } from '../prisma.service.js';

export interface LlmCacheKey {
  transcriptHash: string;
  questionId: string;
  promptVersion: string;
  model: string;
}

export interface CachedLlmReply {
  /** the model's reply text, exactly as received (parsed and verified again on every use) */
  content: string;
  inputTokens: number;
  outputTokens: number;
}

export interface LlmRunAnswer {
  questionId: string;
  promptVersion: string;
  /** null when the reply was unusable */
  answer: 'yes' | 'no' | 'not_applicable' | null;
  /** false: a quote was not in the transcript (or the reply unusable); the answer was discarded */
  verified: boolean;
  cached: boolean;
  finding: boolean;
  reason?: string;
  /** the verified quotes (segment, time and the words as the transcript has them); only on verified answers */
  quotes?: { segmentIndex: number; startSeconds: number; endSeconds: number; text: string }[];
  rationale?: string;
}

export interface LlmCheckRunRecord {
  status: 'completed' | 'skipped' | 'failed';
  reason: string | null;
  model: string | null;
  questionsAsked: number;
  cacheHits: number;
  discardedAnswers: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  redactions: number;
  answers: LlmRunAnswer[];
}

/** LLM checks: the answer cache by (transcript hash, question, prompt version, model) and the per-call run record. */
@Injectable()
export class LlmCheckRepository {
  private readonly runs = batchedReads<string, LlmCheckRunRecord>(async (callIds) => {
    const rows = await this.prisma.client.llmCheckRun.findMany({ where: { callId: { in: callIds } } });
    return new Map(rows.map((row) => [row.callId, runOf(row)]));
  }, lowerCase);

  // every call's check stage writes one: concurrent jobs' runs go as one upsert (see GroupCommit)
  private readonly runWrites: GroupCommit<Record<string, unknown>>;

  constructor(private readonly prisma: PrismaService) {
    this.runWrites = batchedUpserts(prisma.sql, 'LlmCheckRun', 'callId');
  }

  async findCached(key: LlmCacheKey): Promise<CachedLlmReply | null> {
    const row = await this.prisma.client.llmAnswerCache.findUnique({ where: { transcriptHash_questionId_promptVersion_model: key } });
    if (!row) return null;
    const answer = row.answer as { content?: unknown } | null;
    if (typeof answer?.content !== 'string') return null;
    return { content: answer.content, inputTokens: row.inputTokens, outputTokens: row.outputTokens };
  }

  /** First writer wins: concurrent checks of the same transcript store one entry. */
  async saveCached(key: LlmCacheKey, reply: CachedLlmReply): Promise<void> {
    await this.prisma.client.llmAnswerCache.createMany({
      data: [{ ...key, answer: { content: reply.content }, inputTokens: reply.inputTokens, outputTokens: reply.outputTokens }],
      skipDuplicates: true,
    });
  }

  saveRun(callId: string, run: LlmCheckRunRecord): Promise<void> {
    return this.runWrites.submit({
      callId,
      status: run.status,
      reason: run.reason,
      model: run.model,
      questionsAsked: run.questionsAsked,
      cacheHits: run.cacheHits,
      discardedAnswers: run.discardedAnswers,
      inputTokens: run.inputTokens,
      outputTokens: run.outputTokens,
      costUsd: run.costUsd,
      redactions: run.redactions,
      answers: run.answers,
    });
  }

  /** Every call's score stage asks: concurrent jobs' reads go in one query (see batchedReads). */
  findRun(callId: string): Promise<LlmCheckRunRecord | null> {
    return this.runs.submit(callId);
  }
}

function runOf(row: Prisma.LlmCheckRunGetPayload<object>): LlmCheckRunRecord {
  return {
    status: row.status,
    reason: row.reason,
    model: row.model,
    questionsAsked: row.questionsAsked,
    cacheHits: row.cacheHits,
    discardedAnswers: row.discardedAnswers,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    costUsd: row.costUsd,
    redactions: row.redactions,
    answers: (row.answers ?? []) as unknown as LlmRunAnswer[],
  };
}
