/**
 * The JSON the API answers, as the console reads it: the API's presenters are typed against these, so a change
 * to a payload fails the build of whichever side disagrees. Types only; nothing here runs.
 */
import type { ConversationMetricsResult, Dimension, FindingEvidence, FindingSource, NormalisedTranscript, Role, Severity } from '#libs/domain';

export type ReviewState = 'pending' | 'confirmed' | 'dismissed';
export type CallStatus = 'queued' | 'processing' | 'completed' | 'failed';

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface UserView {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  agent: { id: string; externalId: string | null } | null;
  unredactedAccess: boolean;
  disabled: boolean;
  createdAt: string;
}

export type MeView = ({ kind: 'user' } & UserView) | { kind: 'api_key'; id: string; name: string; role: Role };

export interface TokenLoginView {
  /** the bearer session token: shown once */
  token: string;
  expiresAt: string;
  user: UserView;
}

export interface ApiKeyView {
  id: string;
  name: string;
  role: Role;
  /** the first characters of the key, to tell keys apart */
  prefix: string;
  unredactedAccess: boolean;
  createdBy: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface CreatedApiKeyView extends ApiKeyView {
  /** the key itself: shown once */
  key: string;
}

export interface FindingAssignedView {
  findingId: string;
  callId: string;
  assignedTo: string;
}

export interface CookieLoginView {
  csrfToken: string;
  expiresAt: string;
  user: UserView;
}

export interface CallView {
  id: string;
  externalId: string | null;
  agent: string | null;
  campaign: string | null;
  customerPhone: string;
  direction: 'inbound' | 'outbound';
  startedAt: string;
  timeZone: string | null;
  durationSeconds: number | null;
  disposition: string | null;
  channelLayout: string;
  language: string | null;
  /** channels: what the recording has, measured by analyse-audio (null until then) */
  audio: { sha256: string; bytes: number; channels: number | null; contentType: string; deletedByRetentionAt: string | null };
  /** what is wrong with the recording as uploaded, e.g. a mono file declared stereo (then analysed as mono); empty when nothing */
  audioWarnings: AudioWarningView[];
  /** the campaign's talk-ratio target: the agent's share, and how far from it still counts as within */
  talkRatioTarget: { agentShare: number; tolerance: number };
  legalHold: boolean;
  status: CallStatus;
  currentStage: string | null;
  failure: { stage: string | null; reason: string | null } | null;
  createdAt: string;
  completedAt: string | null;
}

export interface AudioWarningView {
  code: 'declared_stereo_but_mono';
  message: string;
}

export interface CallListItemView extends CallView {
  score: number | null;
  autoFailed: boolean | null;
  criticalFindings: number;
}

export interface CallFindingView {
  id: string;
  source: FindingSource;
  ruleId: string;
  ruleVersion: string;
  family: string | null;
  severity: Severity;
  dimension: Dimension;
  description: string;
  /** the regulation the rule cites; null where none is known (LLM questions) */
  regulation: string | null;
  evidence: FindingEvidence | null;
  hasClip: boolean;
  reviewState: ReviewState;
}

export interface CriterionResultView {
  criterionId: string;
  result: 'pass' | 'fail' | 'na';
  weight: number;
  findingIds: string[];
}

export interface EvaluationView {
  scorecardName: string;
  scorecardVersion: number;
  score: number;
  autoFailed: boolean;
  criteria: CriterionResultView[];
}

export interface LlmChecksView {
  status: 'completed' | 'skipped' | 'failed';
  reason: string | null;
  model: string | null;
  questionsAsked: number;
  discardedAnswers: number;
  answers: {
    questionId: string;
    promptVersion: string;
    answer: 'yes' | 'no' | 'not_applicable' | null;
    verified: boolean;
    finding: boolean;
    reason?: string;
    /** the verified evidence quotes (only on verified answers) */
    quotes?: { segmentIndex: number; startSeconds: number; endSeconds: number; text: string }[];
    rationale?: string;
  }[];
}

export interface CallDetailsView extends CallView {
  transcript: (NormalisedTranscript & { redacted: boolean }) | null;
  metrics: ConversationMetricsResult | null;
  findings: CallFindingView[];
  evaluation: EvaluationView | null;
  llmChecks: LlmChecksView | null;
}

export interface QueueItemView {
  id: string;
  callId: string;
  source: string;
  ruleId: string;
  ruleVersion: string;
  family: string | null;
  severity: string;
  dimension: string;
  description: string;
  evidenceText: string | null;
  startSeconds: number | null;
  endSeconds: number | null;
  hasClip: boolean;
  reviewState: ReviewState;
  reviewedBy: string | null;
  reviewedAt: string | null;
  reviewReason: string | null;
  assignedTo: string | null;
  assignedAt: string | null;
  createdAt: string;
  call: { externalId: string | null; startedAt: string; agent: string | null; group: string | null; team: string | null; campaign: string | null };
}

export interface QueueCountsView {
  total: number;
  bySeverity: Record<Severity, number>;
  byState: Record<ReviewState, number>;
  byFamily: Record<string, number>;
}

export interface ReviewHistoryView {
  findingId: string;
  items: { action: 'assigned' | 'confirmed' | 'dismissed'; actor: string; reviewer: string | null; reason: string | null; at: string }[];
}

export interface ReviewResultView {
  findingId: string;
  callId: string;
  reviewState: 'confirmed' | 'dismissed';
  previous: ReviewState;
  rescore: 'queued';
}

export interface ReviewConflictView {
  error: 'conflict';
  message: string;
  findingId: string;
  current: { reviewState: ReviewState; reviewedBy: string | null; reviewedAt: string | null; reviewReason: string | null };
}

/** Every error the API answers: message is one text or one per invalid field ("query.limit: ...") */
export interface ApiErrorView {
  error?: string;
  message: string | string[];
  allowedRoles?: string[];
}


/** What the console needs of GET /v1/campaigns' items. */
export interface CampaignSummaryView {
  id: string;
  externalId: string;
  name: string;
  language: string | null;
}

/** POST /v1/calls/:id/reanalyse: the call is queued again at `fromStage`; what later stages wrote before is replaced. */
export interface ReanalyseView {
  callId: string;
  status: 'queued';
  fromStage: 'transcribe' | 'analyse-audio' | 'check' | 'score' | 'clip' | 'rollup';
}

/** POST /v1/calls: the call, and whether a transcript sent with audio uploaded before was ignored. */
export interface CallUploadView extends CallView {
  /** true when the audio was known and the transcript sent differs from the call's: it was not stored (PUT /v1/calls/{id}/transcript replaces it) */
  transcriptIgnored: boolean;
  /** what a client should know about this upload (the ignored transcript), or null */
  notice: string | null;
}

/** One entry of POST /v1/calls/batch, in the order of the request's metadata. */
export interface CallBatchItemView {
  /** the entry's position in the metadata array (and among the audio parts) */
  index: number;
  /** what POST /v1/calls would have answered for this recording alone: 201 new, 200 known audio, 4xx refused */
  status: number;
  /** the call, or null when the entry was refused */
  call: CallUploadView | null;
  /** why the entry was refused, each problem naming its field (metadata[i].field, audio[i], transcript[i]); empty when accepted */
  errors: string[];
}

/** POST /v1/calls/batch: each recording's own answer; a refused entry refuses only itself. */
export interface CallBatchUploadView {
  calls: CallBatchItemView[];
  created: number;
  existing: number;
  refused: number;
}
