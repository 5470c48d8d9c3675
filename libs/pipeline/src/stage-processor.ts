import type { JobName } from '#libs/queue';

/** The glue a worker app registers for one job name: validate nothing more, call one service method. */
export interface StageProcessor {
  readonly jobName: JobName;
  process(payload: { callId: string }): Promise<void>;
}

export const STAGE_PROCESSORS = Symbol('STAGE_PROCESSORS');
