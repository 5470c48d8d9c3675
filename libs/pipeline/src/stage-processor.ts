import { JobName } from '#libs/queue';
import type { StageReport } from './stage-report.js';

/** The glue a worker app registers for one job name: validate nothing more, call one service method. */
export interface StageProcessor {
  readonly jobName: JobName;
  process(payload: { callId: string }): Promise<StageReport | void>;
}

export const STAGE_PROCESSORS = Symbol('STAGE_PROCESSORS');

/** One processor per job name, or an error naming every job with none or with two: the worker refuses to boot on it. */
export function indexProcessors(processors: StageProcessor[]): Map<JobName, StageProcessor> {
  const byJob = new Map<JobName, StageProcessor>();
  const problems: string[] = [];
  for (const processor of processors) {
    if (byJob.has(processor.jobName)) problems.push(`job ${processor.jobName} has two processors`);
    byJob.set(processor.jobName, processor);
  }
  for (const jobName of Object.values(JobName)) {
    if (!byJob.has(jobName)) problems.push(`job ${jobName} has no processor`);
  }
  if (problems.length > 0) throw new Error(`refusing to start the worker: ${problems.join('; ')}`);
  return byJob;
}
