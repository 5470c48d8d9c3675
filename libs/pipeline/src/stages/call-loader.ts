import type { CallEvaluationRecord, CallRecord, CallRepository, CallResultsRepository, StoredFinding, StoredRedaction } from '#libs/db';
import type { ConversationMetricsResult, NormalisedTranscript } from '#libs/domain';
import { PermanentJobError } from '#libs/queue';

export async function loadCall(calls: CallRepository, callId: string): Promise<CallRecord> {
  const call = await calls.findById(callId);
  if (!call) throw new PermanentJobError(`call ${callId} does not exist`);
  return call;
}

/** What the rollup reads of an evaluation. */
export type ScoredCall = Pick<CallEvaluationRecord, 'score' | 'autoFailed'>;

type StoredTranscript = { transcript: NormalisedTranscript; redacted: StoredRedaction | null } | null;

/**
 * The call as the stages of one job read it: the call row (three queries: the call, its agent, its campaign), its
 * transcript, metrics and findings, each read once. A stage of this job that writes one of them says so, and the
 * next stage gets what was written (or reads it again). A lane runs several stages back to back; each used to read
 * them anew. Writes from outside the job (a review) reach the job they queue, which reads afresh.
 */
export class StageCall {
  private record: Promise<CallRecord> | null = null;
  private readonly rows = new Map<'transcript' | 'metrics' | 'findings', Promise<unknown>>();
  private scored: ScoredCall | null = null;

  constructor(
    private readonly calls: CallRepository,
    private readonly results: CallResultsRepository,
    readonly id: string,
  ) {}

  load(): Promise<CallRecord> {
    if (!this.record) {
      this.record = loadCall(this.calls, this.id);
      // a failed read is not kept: the next stage (or the retry) reads again
      this.record.catch(() => (this.record = null));
    }
    return this.record;
  }

  /** The stage wrote these columns of the call's row: the loaded record takes them (no read again). */
  patch(fields: Partial<Pick<CallRecord, 'audioChannels' | 'durationSeconds' | 'redactedAudioKey'>>): void {
    if (this.record) this.record = this.record.then((call) => ({ ...call, ...fields }));
  }

  /** The stage stored a transcript: the next stage reads it again. */
  transcriptChanged(): void {
    this.rows.delete('transcript');
  }

  /** The stored transcript with its redacted view. */
  transcript(): Promise<StoredTranscript> {
    return this.shared('transcript', () => this.results.findTranscriptWithRedaction(this.id));
  }

  metrics(): Promise<ConversationMetricsResult | null> {
    return this.shared('metrics', () => this.results.findMetrics(this.id));
  }

  /** The stage stored metrics: the next stage reads them again. */
  metricsChanged(): void {
    this.rows.delete('metrics');
  }

  findings(): Promise<StoredFinding[]> {
    return this.shared('findings', () => this.results.listFindings(this.id));
  }

  /** The stage wrote findings (replaced them, or set a clip): the next stage reads them again. */
  findingsChanged(): void {
    this.rows.delete('findings');
  }

  /** The score stage of this job stored the call's evaluation: the rollup takes it from here (no read again). */
  evaluationSaved(evaluation: ScoredCall): void {
    this.scored = evaluation;
  }

  /** The evaluation this job's score stage stored; null when it did not run in this job. */
  savedEvaluation(): ScoredCall | null {
    return this.scored;
  }

  private shared<T>(key: 'transcript' | 'metrics' | 'findings', read: () => Promise<T>): Promise<T> {
    let row = this.rows.get(key) as Promise<T> | undefined;
    if (!row) {
      row = read();
      this.rows.set(key, row);
      row.catch(() => this.rows.delete(key));
    }
    return row;
  }
}
