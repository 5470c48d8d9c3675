/**
 * What a stage reports about its run, returned through BullMQ as the job's result so the worker host can count it
 * from the job's completed event (metrics come from lifecycle events, never from inside a stage). Small: no text.
 */
export interface StageReport {
  /** findings the run produced (a re-run reports them again) */
  findings?: { family: string | null; severity: string; source: string }[];
  llm?: { model: string | null; inputTokens: number; outputTokens: number; costUsd: number | null };
  transcription?: { provider: string; model: string; seconds: number };
}
