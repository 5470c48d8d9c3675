import { Injectable } from '@nestjs/common';
import { ScoreStage } from '#libs/pipeline';
import type { StageProcessor } from '#libs/pipeline';
import { JobName } from '#libs/queue';

@Injectable()
export class ScoreProcessor implements StageProcessor {
  readonly jobName = JobName.ScoreCall;

  constructor(private readonly stage: ScoreStage) {}

  process({ callId }: { callId: string }): Promise<void> {
    return this.stage.run(callId);
  }
}
