import { Injectable } from '@nestjs/common';
import { ClipStage } from '#libs/pipeline';
import type { StageProcessor } from '#libs/pipeline';
import { JobName } from '#libs/queue';

@Injectable()
export class ClipProcessor implements StageProcessor {
  readonly jobName = JobName.ClipFindings;

  constructor(private readonly stage: ClipStage) {}

  process({ callId }: { callId: string }): Promise<void> {
    return this.stage.run(callId);
  }
}
