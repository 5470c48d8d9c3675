/**
 * What a stage reports about its run, for the worker to count (metrics come from the worker, never from inside a
 * stage). Small: no text.
 */
export interface StageReport {
  /** findings the run produced (a re-run reports them again) */
  findings?: { family: string | null; severity: string; source: string }[];
  llm?: { model: string | null; inputTokens: number; outputTokens: number; costUsd: number | null };
  transcription?: { provider: string; model: string; seconds: number };
}
