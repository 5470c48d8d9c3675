import { Injectable } from '@nestjs/common';
import type { JsonValue } from '#libs/audit';
import { PrismaService } from '../prisma.service.js';
import type { AuditEntryRecord } from './audit.repository.js';

export interface EvidenceCall {
  id: string;
  externalId: string | null;
  agent: { id: string; externalId: string; name: string } | null;
  campaign: { id: string; externalId: string; name: string; retentionDays: number | null } | null;
  customerPhone: string;
  direction: string;
  startedAt: Date;
  timeZone: string | null;
  durationSeconds: number | null;
  disposition: string | null;
  channelLayout: string;
  language: string | null;
  audioKey: string;
  audioSha256: string;
  audioBytes: number;
  audioChannels: number | null;
  audioContentType: string;
  sidecarKey: string | null;
  redactedAudioKey: string | null;
  audioDeletedAt: Date | null;
  legalHold: boolean;
  legalHoldReason: string | null;
  legalHoldBy: string | null;
  legalHoldAt: Date | null;
  status: string;
  failedStage: string | null;
  failureReason: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

/** The transcript as stored: unredacted segments, with how it was made. */
export interface EvidenceTranscript {
  provider: string;
  model: string | null;
  language: string | null;
  rolesSource: string;
  rolesConfidence: number | null;
  segments: JsonValue;
  redaction: JsonValue | null;
  usage: JsonValue | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface EvidenceFinding {
  id: string;
  dedupeKey: string;
  source: string;
  ruleId: string;
  ruleVersion: string;
  family: string | null;
  severity: string;
  dimension: string;
  description: string;
  evidenceText: string | null;
  segmentIndex: number | null;
  charStart: number | null;
  charEnd: number | null;
  startSeconds: number | null;
  endSeconds: number | null;
  clipKey: string | null;
  reviewState: string;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  reviewReason: string | null;
  assignedTo: string | null;
  assignedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface EvidenceEvaluation {
  scorecardId: string | null;
  scorecardName: string;
  scorecardVersion: number;
  score: number;
  autoFailed: boolean;
  criteria: JsonValue;
  createdAt: Date;
  updatedAt: Date;
}

export interface EvidenceFindingReview {
  id: string;
  findingId: string;
  action: string;
  actor: string;
  reviewer: string | null;
  reason: string | null;
  at: Date;
}

export interface EvidenceFeedback {
  id: string;
  kind: string;
  actor: string;
  reason: string | null;
  ruling: string | null;
  score: number | null;
  autoFailed: boolean | null;
  at: Date;
}

/** Everything stored about one call, as an evidence bundle carries it. */
export interface EvidenceRecord {
  call: EvidenceCall;
  transcript: EvidenceTranscript | null;
  findings: EvidenceFinding[];
  evaluation: EvidenceEvaluation | null;
  findingReviews: EvidenceFindingReview[];
  evaluationFeedback: EvidenceFeedback[];
  /** entries about the call, about its findings, and any naming the call in details.callId; oldest first */
  audit: AuditEntryRecord[];
}

/** Read model of a call's evidence bundle. */
@Injectable()
export class EvidenceRepository {
  constructor(private readonly prisma: PrismaService) {}

  async load(callId: string): Promise<EvidenceRecord | null> {
    const client = this.prisma.client;
    const row = await client.call.findUnique({
      where: { id: callId },
      include: {
        agent: { select: { id: true, externalId: true, name: true } },
        campaign: { select: { id: true, externalId: true, name: true, retentionDays: true } },
      },
    });
    if (!row) return null;
    const [transcript, findings, evaluation, findingReviews, evaluationFeedback] = await Promise.all([
      client.transcript.findUnique({ where: { callId } }),
      client.finding.findMany({ where: { callId }, orderBy: [{ startSeconds: 'asc' }, { dedupeKey: 'asc' }] }),
      client.evaluation.findUnique({ where: { callId } }),
      client.findingReview.findMany({ where: { callId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] }),
      client.evaluationFeedback.findMany({ where: { callId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] }),
    ]);
    const auditRows = await client.auditEvent.findMany({
      where: {
        OR: [
          { entityType: 'call', entityId: callId },
          ...(findings.length > 0 ? [{ entityType: 'finding', entityId: { in: findings.map((f) => f.id) } }] : []),
          // entries of findings a later re-check removed still name their call
          { details: { path: ['callId'], equals: callId } },
        ],
      },
      orderBy: { id: 'asc' },
    });
    const { agent, campaign, agentId: _agentId, campaignId: _campaignId, currentStage: _stage, rolledUpAt: _rolledUp, updatedAt: _updated, ...call } = row;
    return {
      // 2^53 bytes is far past any recording: a number keeps the bundle's JSON plain
      call: { ...call, audioBytes: Number(call.audioBytes), agent, campaign },
      transcript: transcript
        ? {
            provider: transcript.provider,
            model: transcript.model,
            language: transcript.language,
            rolesSource: transcript.rolesSource,
            rolesConfidence: transcript.rolesConfidence,
            segments: transcript.segments as JsonValue,
            redaction: (transcript.redaction ?? null) as JsonValue | null,
            usage: (transcript.usage ?? null) as JsonValue | null,
            createdAt: transcript.createdAt,
            updatedAt: transcript.updatedAt,
          }
        : null,
      findings: findings.map(({ callId: _call, ...finding }) => finding),
      evaluation: evaluation
        ? {
            scorecardId: evaluation.scorecardId,
            scorecardName: evaluation.scorecardName,
            scorecardVersion: evaluation.scorecardVersion,
            score: evaluation.score,
            autoFailed: evaluation.autoFailed,
            criteria: evaluation.criteria as JsonValue,
            createdAt: evaluation.createdAt,
            updatedAt: evaluation.updatedAt,
          }
        : null,
      findingReviews: findingReviews.map(({ callId: _call, ...review }) => review),
      evaluationFeedback: evaluationFeedback.map(({ callId: _call, ...feedback }) => feedback),
      audit: auditRows.map((entry) => ({ ...entry, id: entry.id.toString(), details: (entry.details ?? null) as JsonValue | null })),
    };
  }
}
