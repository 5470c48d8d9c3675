import type { Job } from 'bullmq';
import type { PipelineStage } from '#libs/queue';

/** Per-stage processing times taken from job lifecycle events (processedOn -> finishedOn). */
export class StageTimings {
  private readonly samples = new Map<PipelineStage, number[]>();

  record(stage: PipelineStage, job: Job): void {
    if (job.processedOn === undefined || job.finishedOn === undefined) return;
    const list = this.samples.get(stage) ?? [];
    list.push(job.finishedOn - job.processedOn);
    this.samples.set(stage, list);
  }

  summary(): Record<string, { count: number; p50Ms: number; p95Ms: number }> {
    const result: Record<string, { count: number; p50Ms: number; p95Ms: number }> = {};
    for (const [stage, values] of this.samples) {
      const sorted = [...values].sort((a, b) => a - b);
      result[stage] = { count: sorted.length, p50Ms: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95) };
    }
    return result;
  }

  reset(): void {
    this.samples.clear();
  }
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
