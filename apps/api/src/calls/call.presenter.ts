import type { AudioWarningView, CallDetailsView, CallListItemView, CallView } from '#libs/api-contract';
import type { CallListItem, CallRecord } from '#libs/db';
import type { CallDetails } from '#libs/calls';
import { publicFailureReason } from './failure-reason.js';

export function presentCall(call: CallRecord): CallView {
  return {
    id: call.id,
    externalId: call.externalId,
    agent: call.agentExternalId,
    campaign: call.campaignExternalId,
    customerPhone: call.customerPhone,
    direction: call.direction,
    startedAt: call.startedAt.toISOString(),
    timeZone: call.timeZone,
    durationSeconds: call.durationSeconds,
    disposition: call.disposition,
    channelLayout: call.channelLayout,
    language: call.language,
    talkRatioTarget: { agentShare: call.talkRatioAgentTarget, tolerance: call.talkRatioTolerance },
    audio: {
      sha256: call.audioSha256,
      bytes: call.audioBytes,
      channels: call.audioChannels,
      contentType: call.audioContentType,
      deletedByRetentionAt: call.audioDeletedAt?.toISOString() ?? null,
    },
    audioWarnings: audioWarningsOf(call),
    legalHold: call.legalHold,
    status: call.status,
    currentStage: call.currentStage,
    failure: call.status === 'failed' ? { stage: call.failedStage, reason: publicFailureReason(call.failureReason) } : null,
    createdAt: call.createdAt.toISOString(),
    completedAt: call.completedAt?.toISOString() ?? null,
  };
}

/** Facts about the recording the uploader should fix at the source. */
export function audioWarningsOf(call: Pick<CallRecord, 'channelLayout' | 'audioChannels'>): AudioWarningView[] {
  if (call.channelLayout === 'stereo' && call.audioChannels !== null && call.audioChannels < 2) {
    return [
      {
        code: 'declared_stereo_but_mono',
        message: `declared stereo but the recording has ${call.audioChannels} channel: analysed as mono (speakers from the transcript, not from channels); upload with channelLayout mono, or record the agent and customer on separate channels`,
      },
    ];
  }
  return [];
}

export function presentCallListItem(item: CallListItem): CallListItemView {
  return { ...presentCall(item), score: item.score, autoFailed: item.autoFailed, criticalFindings: item.criticalFindings };
}

export function presentCallDetails(details: CallDetails, citationOf: (ruleId: string) => string | null): CallDetailsView {
  return {
    ...presentCall(details.call),
    transcript: details.transcript,
    metrics: details.metrics,
    findings: details.findings.map((finding) => ({
      id: finding.id,
      source: finding.source,
      ruleId: finding.ruleId,
      ruleVersion: finding.ruleVersion,
      family: finding.family ?? null,
      severity: finding.severity,
      dimension: finding.dimension,
      description: finding.description,
      regulation: citationOf(finding.ruleId),
      evidence: finding.evidence ?? null,
      hasClip: finding.clipKey !== null,
      reviewState: finding.reviewState,
    })),
    evaluation: details.evaluation && {
      scorecardName: details.evaluation.scorecardName,
      scorecardVersion: details.evaluation.scorecardVersion,
      score: details.evaluation.score,
      autoFailed: details.evaluation.autoFailed,
      criteria: details.evaluation.criteria,
    },
    llmChecks: details.llmChecks,
  };
}
