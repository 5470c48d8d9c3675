import { Injectable } from '@nestjs/common';
import { CheckStage } from '#libs/pipeline';
import type { StageProcessor, StageReport } from '#libs/pipeline';
import { JobName } from '#libs/queue';

@Injectable()
export class CheckProcessor implements StageProcessor {
  readonly jobName = JobName.CheckCall;

  constructor(private readonly stage: CheckStage) {}

  process({ callId }: { callId: string }): Promise<StageReport> {
    return this.stage.run(callId);
  }
}
