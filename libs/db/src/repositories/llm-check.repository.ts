import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client.js';
import type { InputJsonValue } from '../generated/prisma/internal/prismaNamespace.js';
import { batchedReads, lowerCase } from '../group-commit.js';
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

  constructor(private readonly prisma: PrismaService) {}

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

  async saveRun(callId: string, run: LlmCheckRunRecord): Promise<void> {
    const data = { ...run, answers: run.answers as unknown as InputJsonValue };
    await this.prisma.client.llmCheckRun.upsert({ where: { callId }, create: { callId, ...data }, update: data });
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
