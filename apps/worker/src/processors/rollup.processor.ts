import { Injectable } from '@nestjs/common';
import { RollupStage } from '#libs/pipeline';
import type { StageProcessor } from '#libs/pipeline';
import { JobName } from '#libs/queue';

@Injectable()
export class RollupProcessor implements StageProcessor {
  readonly jobName = JobName.RollupCall;

  constructor(private readonly stage: RollupStage) {}

  process({ callId }: { callId: string }): Promise<void> {
    return this.stage.run(callId);
  }
}
