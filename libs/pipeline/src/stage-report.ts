/**
 * What a stage reports about its run, for the worker to count (metrics come from the worker, never from inside a
 * stage). Small: no text.
 */
export interface StageReport {
  /** findings the run produced (a re-run reports them again) */
  findings?: { family: string | null; severity: string; source: string }[];
  llm?: {
    model: string | null;
    inputTokens: number;
    outputTokens: number;
    costUsd: number | null;
    /** why the LLM checks were skipped, when a campaign limit did it */
    skipped?: 'cost_ceiling';
    /** question ids whose answers were discarded (a quote not in the transcript, or an unusable reply) */
    discardedQuestions?: string[];
  };
  transcription?: { provider: string; model: string; seconds: number };
}
