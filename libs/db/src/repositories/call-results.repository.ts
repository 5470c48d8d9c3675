import { Injectable } from '@nestjs/common';
import type {
  ConversationMetricsResult,
  MetricsWarning,
  FindingDraft,
  FindingSource,
  NormalisedTranscript,
  TranscriptSegment,
} from '#libs/domain';
import type { TranscriptRedaction } from '#libs/redaction';
import { SEARCHABLE_VERSION, encodeSearchSegments, searchableTranscript } from '#libs/rules';
import { Prisma } from '../generated/prisma/client.js';
import type { InputJsonValue } from '../generated/prisma/internal/prismaNamespace.js';
import { PrismaService } from '../prisma.service.js';
import { GroupCommit, batchedReads, lowerCase } from '../group-commit.js';
import { batchedUpserts } from './upsert-rows.js';
import { writeFindings } from './finding-write.js';

type TranscriptRow = Prisma.TranscriptGetPayload<{ omit: { searchText: true; searchSegments: true; searchVersion: true } }>;
type MetricsRow = Prisma.ConversationMetricsGetPayload<object>;
type FindingRow = Prisma.FindingGetPayload<object>;

export interface StoredFinding extends FindingDraft {
  id: string;
  callId: string;
  clipKey: string | null;
  reviewState: 'pending' | 'confirmed' | 'dismissed';
  createdAt: Date;
}

/** A transcript's redacted view, stored beside it: the segments with sensitive text replaced, counts and audio spans. */
export interface StoredRedaction {
  segments: TranscriptSegment[];
  redaction: TranscriptRedaction;
}

/** What the redaction backfill needs to know of a stored transcript without reading it. */
export interface RedactionStamp {
  callId: string;
  status: string;
  /** rules version and kinds of the stored redaction; null when the transcript has no stored redacted view */
  stamp: { rules?: number; kinds?: string[] } | null;
  redactionOn: string[];
  redactionOff: string[];
}

/** Per-call stage outputs: transcript, conversation metrics and findings (evaluations: EvaluationRepository). Every write is an upsert. */
@Injectable()
export class CallResultsRepository {
  // every job's stages read these: concurrent jobs' reads go in one query each (see batchedReads)
  private readonly transcripts = batchedReads<string, StoredTranscript>(async (callIds) => {
    const rows = await this.prisma.client.transcript.findMany({ where: { callId: { in: callIds } } });
    return new Map(rows.map((row) => [row.callId, storedTranscript(row)]));
  }, lowerCase);

  private readonly metrics = batchedReads<string, ConversationMetricsResult>(async (callIds) => {
    const rows = await this.prisma.client.conversationMetrics.findMany({ where: { callId: { in: callIds } } });
    return new Map(rows.map((row) => [row.callId, metricsOf(row)]));
  }, lowerCase);

  private readonly findings = batchedReads<string, StoredFinding[]>(async (callIds) => {
    const rows = await this.prisma.client.finding.findMany({ where: { callId: { in: callIds } }, orderBy: [{ startSeconds: 'asc' }, { dedupeKey: 'asc' }] });
    const byCall = new Map<string, StoredFinding[]>();
    for (const row of rows) byCall.set(row.callId, [...(byCall.get(row.callId) ?? []), storedFinding(row)]);
    return byCall;
  }, lowerCase);

  // every call's transcribe and analyse-audio stages write these: concurrent jobs' rows go as one upsert
  private readonly transcriptWrites: GroupCommit<Record<string, unknown>>;
  private readonly metricsWrites: GroupCommit<Record<string, unknown>>;

  // every call's check stage replaces its findings: concurrent jobs' replacements go as one statement
  private readonly findingWrites = new GroupCommit<{ callId: string; sources: FindingSource[]; drafts: FindingDraft[] }>(async (batch) => {
    const gone = JSON.stringify(batch.map(({ callId, sources, drafts }) => ({ callId, sources, kept: drafts.map((d) => d.dedupeKey) })));
    await writeFindings(
      this.prisma.sql,
      Prisma.sql`DELETE FROM "Finding" f USING jsonb_to_recordset(${gone}::jsonb) AS g("callId" uuid, sources jsonb, kept jsonb)
        WHERE f."callId" = g."callId" AND g.sources ? f.source::text AND NOT (g.kept ? f."dedupeKey")`,
      batch.flatMap(({ callId, drafts }) => drafts.map((draft) => ({ callId, draft }))),
    );
    return [];
  });

  constructor(private readonly prisma: PrismaService) {
    this.transcriptWrites = batchedUpserts(prisma.sql, 'Transcript', 'callId');
    this.metricsWrites = batchedUpserts(prisma.sql, 'ConversationMetrics', 'callId');
  }

  /** Stores the transcript together with its redacted view, so the two never disagree. */
  saveTranscript(callId: string, transcript: NormalisedTranscript, redacted: StoredRedaction): Promise<void> {
    return this.transcriptWrites.submit({
      callId,
      provider: transcript.provider,
      model: transcript.model ?? null,
      language: transcript.language ?? null,
      rolesSource: transcript.rolesSource,
      rolesConfidence: transcript.rolesConfidence ?? null,
      segments: transcript.segments,
      redactedSegments: redacted.segments,
      redaction: redacted.redaction,
      usage: transcript.usage ?? null,
      ...searchableColumns(transcript),
    });
  }

  /**
   * Replaces a transcript's stored redacted view only (the backfill's write), and only while the transcript still has
   * the segments it was made from: false when a new transcript was stored meanwhile (its own view stands).
   */
  async saveRedactedView(callId: string, from: readonly TranscriptSegment[], redacted: StoredRedaction): Promise<boolean> {
    const { count } = await this.prisma.client.transcript.updateMany({
      where: { callId, segments: { equals: from as unknown as InputJsonValue } },
      data: { redactedSegments: redacted.segments as unknown as InputJsonValue, redaction: redacted.redaction as unknown as InputJsonValue },
    });
    return count === 1;
  }

  /**
   * One page of stored transcripts after `afterCallId`, in call id order: the stamp of their stored redaction (rules
   * version and kinds; null when none is stored), the call's status and its campaign's redaction switches.
   */
  async listRedactionStamps(afterCallId: string | null, limit: number): Promise<RedactionStamp[]> {
    const rows = await this.prisma.client.transcript.findMany({
      where: afterCallId ? { callId: { gt: afterCallId } } : {},
      orderBy: { callId: 'asc' },
      take: limit,
      select: { callId: true, redaction: true, call: { select: { status: true, campaign: { select: { redactionOn: true, redactionOff: true } } } } },
    });
    return rows.map((row) => {
      const redaction = row.redaction as { rules?: number; kinds?: string[] } | null;
      return {
        callId: row.callId,
        status: row.call.status,
        stamp: redaction && { rules: redaction.rules, kinds: redaction.kinds },
        redactionOn: row.call.campaign?.redactionOn ?? [],
        redactionOff: row.call.campaign?.redactionOff ?? [],
      };
    });
  }

  /** The transcript and, in the same read, its stored redacted view (null for rows stored before redaction existed). */
  findTranscriptWithRedaction(callId: string): Promise<StoredTranscript | null> {
    return this.transcripts.submit(callId);
  }

  saveMetrics(callId: string, metrics: ConversationMetricsResult): Promise<void> {
    return this.metricsWrites.submit({
      callId,
      source: metrics.source,
      durationSeconds: metrics.durationSeconds,
      agentTalkShare: metrics.agentTalkShare,
      customerTalkShare: metrics.customerTalkShare,
      silenceShare: metrics.silenceShare,
      overlapSeconds: metrics.overlapSeconds,
      agentInterruptions: metrics.agentInterruptions,
      customerInterruptions: metrics.customerInterruptions,
      longestAgentMonologue: metrics.longestAgentMonologue,
      longestCustomerTurn: metrics.longestCustomerTurn,
      deadAirCount: metrics.deadAirCount,
      speechRateWpm: metrics.speechRateWpm,
      talkRatioWithinTarget: metrics.talkRatioWithinTarget,
      earlyHangUp: metrics.earlyHangUp,
      effectiveCall: metrics.effectiveCall,
      unavailable: metrics.unavailable,
      // a re-measured call without warnings clears the old ones
      metricsWarnings: metrics.metricsWarnings ?? [],
    });
  }

  findMetrics(callId: string): Promise<ConversationMetricsResult | null> {
    return this.metrics.submit(callId);
  }

  /**
   * Makes the call's findings from `sources` exactly `drafts`: new ones are inserted, existing ones (same dedupe key)
   * keep their id, clip and review, and those no longer produced are removed. Safe to repeat.
   */
  replaceFindings(callId: string, sources: FindingSource[], drafts: FindingDraft[]): Promise<void> {
    return this.findingWrites.submit({ callId, sources, drafts });
  }

  async listFindings(callId: string): Promise<StoredFinding[]> {
    return (await this.findings.submit(callId)) ?? [];
  }

  async setClipKey(findingId: string, clipKey: string): Promise<void> {
    await this.prisma.client.finding.update({ where: { id: findingId }, data: { clipKey } });
  }
}

/** The transcript's searchable form (what backtests read), written with every transcript. */
export function searchableColumns(transcript: NormalisedTranscript): { searchText: string; searchSegments: string; searchVersion: number } {
  const searchable = searchableTranscript(transcript.segments);
  return { searchText: searchable.text, searchSegments: encodeSearchSegments(searchable), searchVersion: SEARCHABLE_VERSION };
}

type StoredTranscript = { transcript: NormalisedTranscript; redacted: StoredRedaction | null };

function storedTranscript(row: TranscriptRow): StoredTranscript {
  const redacted =
    row.redactedSegments === null || row.redaction === null
      ? null
      : { segments: row.redactedSegments as unknown as TranscriptSegment[], redaction: row.redaction as unknown as TranscriptRedaction };
  const transcript: NormalisedTranscript = {
    provider: row.provider,
    model: row.model ?? undefined,
    language: row.language ?? undefined,
    rolesSource: row.rolesSource,
    rolesConfidence: row.rolesConfidence ?? undefined,
    segments: row.segments as unknown as TranscriptSegment[],
    usage: (row.usage ?? undefined) as NormalisedTranscript['usage'],
  };
  return { transcript, redacted };
}

function metricsOf(row: MetricsRow): ConversationMetricsResult {
  return {
    source: row.source === 'audio' ? 'audio' : 'transcript',
    durationSeconds: row.durationSeconds,
    agentTalkShare: row.agentTalkShare,
    customerTalkShare: row.customerTalkShare,
    silenceShare: row.silenceShare,
    overlapSeconds: row.overlapSeconds,
    agentInterruptions: row.agentInterruptions,
    customerInterruptions: row.customerInterruptions,
    longestAgentMonologue: row.longestAgentMonologue,
    longestCustomerTurn: row.longestCustomerTurn,
    deadAirCount: row.deadAirCount,
    speechRateWpm: row.speechRateWpm,
    talkRatioWithinTarget: row.talkRatioWithinTarget,
    earlyHangUp: row.earlyHangUp,
    effectiveCall: row.effectiveCall,
    unavailable: (row.unavailable ?? {}) as Record<string, string>,
    ...(Array.isArray(row.metricsWarnings) && row.metricsWarnings.length > 0 ? { metricsWarnings: row.metricsWarnings as unknown as MetricsWarning[] } : {}),
  };
}

function storedFinding(row: FindingRow): StoredFinding {
  return {
    id: row.id,
    callId: row.callId,
    dedupeKey: row.dedupeKey,
    source: row.source,
    ruleId: row.ruleId,
    ruleVersion: row.ruleVersion,
    family: row.family ?? undefined,
    severity: row.severity,
    dimension: row.dimension,
    description: row.description,
    evidence: {
      text: row.evidenceText ?? undefined,
      segmentIndex: row.segmentIndex ?? undefined,
      charStart: row.charStart ?? undefined,
      charEnd: row.charEnd ?? undefined,
      startSeconds: row.startSeconds ?? undefined,
      endSeconds: row.endSeconds ?? undefined,
    },
    clipKey: row.clipKey,
    reviewState: row.reviewState,
    createdAt: row.createdAt,
  };
}
