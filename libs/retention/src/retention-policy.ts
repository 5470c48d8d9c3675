// Pure retention rules: plain data in, plain data out (no Nest, Prisma or I/O).

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionState {
  callId: string;
  startedAt: Date;
  /** the campaign's retention; null keeps the recording forever */
  retentionDays: number | null;
  audioDeletedAt: Date | null;
  legalHold: boolean;
}

/** delete: due and free to go; held: due but on legal hold; keep: not due (or no retention); deleted: already gone */
export type RetentionVerdict = 'delete' | 'held' | 'keep' | 'deleted';

export interface StoredFindingClip {
  id: string;
  clipKey: string | null;
  reviewState: 'pending' | 'confirmed' | 'dismissed';
}

export interface StoredRecording {
  audioKey: string;
  redactedAudioKey: string | null;
  findings: readonly StoredFindingClip[];
}

export interface RecordingDeletionPlan {
  /** the recording and, when it is a separate object, its redacted copy */
  recordingKeys: string[];
  /** clips of findings not confirmed as violations: deleted with the recording */
  clipsToDelete: { findingId: string; clipKey: string }[];
  /** clips of confirmed findings: kept as evidence */
  clipsKept: { findingId: string; clipKey: string }[];
}

/** Calls that started before this instant are past a retention of `retentionDays` at `now`. */
export function retentionCutoff(now: Date, retentionDays: number): Date {
  return new Date(now.getTime() - retentionDays * DAY_MS);
}

/** When a recording becomes due for deletion (the first sweep after it deletes it); null when kept forever. */
export function retentionDueAt(startedAt: Date, retentionDays: number | null): Date | null {
  if (retentionDays === null || retentionDays < 1) return null;
  return new Date(startedAt.getTime() + retentionDays * DAY_MS);
}

/** What retention does with one call's recording at `now`. */
export function retentionVerdict(call: RetentionState, now: Date): RetentionVerdict {
  if (call.audioDeletedAt !== null) return 'deleted';
  if (call.retentionDays === null || call.retentionDays < 1) return 'keep';
  if (call.startedAt.getTime() >= retentionCutoff(now, call.retentionDays).getTime()) return 'keep';
  return call.legalHold ? 'held' : 'delete';
}

/** Splits calls into those whose recording is to be deleted now and those past retention but on legal hold. */
export function selectForDeletion(calls: readonly RetentionState[], now: Date): { toDelete: string[]; held: string[] } {
  const toDelete: string[] = [];
  const held: string[] = [];
  for (const call of calls) {
    const verdict = retentionVerdict(call, now);
    if (verdict === 'delete') toDelete.push(call.callId);
    else if (verdict === 'held') held.push(call.callId);
  }
  return { toDelete, held };
}

/** The objects a deletion removes (recording, redacted copy, unconfirmed clips) and the confirmed clips it keeps. */
export function planRecordingDeletion(recording: StoredRecording): RecordingDeletionPlan {
  const recordingKeys = [recording.audioKey];
  if (recording.redactedAudioKey && recording.redactedAudioKey !== recording.audioKey) recordingKeys.push(recording.redactedAudioKey);
  const clipsToDelete: RecordingDeletionPlan['clipsToDelete'] = [];
  const clipsKept: RecordingDeletionPlan['clipsKept'] = [];
  for (const finding of recording.findings) {
    if (finding.clipKey === null) continue;
    (finding.reviewState === 'confirmed' ? clipsKept : clipsToDelete).push({ findingId: finding.id, clipKey: finding.clipKey });
  }
  return { recordingKeys, clipsToDelete, clipsKept };
}
