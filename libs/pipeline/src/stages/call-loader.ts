import type { CallEvaluationRecord, CallRecord, CallRepository, LlmCheckRunRecord, CallResultsRepository, StoredFinding, StoredRedaction } from '#libs/db';
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
 * The call as the stages of one job read it: the call row (with its agent and campaign), its transcript, metrics and
 * findings, each read once. A stage of this job that writes one of them says so, and the next stage gets what was
 * written (or, for findings, whose ids the database gives, reads them again). A lane runs several stages back to
 * back; each used to read them anew. Writes from outside the job (a review) reach the job they queue, which reads
 * afresh.
 */
export class StageCall {
  private record: Promise<CallRecord> | null = null;
  private readonly rows = new Map<'transcript' | 'metrics' | 'findings', Promise<unknown>>();
  private scored: ScoredCall | null = null;
  private llmRun: LlmCheckRunRecord | null = null;

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

  /** The stage stored this transcript and redacted view: the next stage takes them from here (no read again). */
  transcriptSaved(stored: NonNullable<StoredTranscript>): void {
    this.rows.set('transcript', Promise.resolve(stored));
  }

  /** The stored transcript with its redacted view. */
  transcript(): Promise<StoredTranscript> {
    return this.shared('transcript', () => this.results.findTranscriptWithRedaction(this.id));
  }

  metrics(): Promise<ConversationMetricsResult | null> {
    return this.shared('metrics', () => this.results.findMetrics(this.id));
  }

  /** The stage stored these metrics: the next stage takes them from here (no read again). */
  metricsSaved(metrics: ConversationMetricsResult): void {
    this.rows.set('metrics', Promise.resolve(metrics));
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

  /** The check stage of this job stored the call's LLM run: the score stage takes it from here (no read again). */
  llmRunSaved(run: LlmCheckRunRecord): void {
    this.llmRun = run;
  }

  /** The LLM run this job's check stage stored; null when it did not run in this job. */
  savedLlmRun(): LlmCheckRunRecord | null {
    return this.llmRun;
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
