import { Injectable } from '@nestjs/common';
import { TranscribeStage } from '#libs/pipeline';
import type { StageProcessor, StageReport } from '#libs/pipeline';
import { JobName } from '#libs/queue';

@Injectable()
export class TranscribeProcessor implements StageProcessor {
  readonly jobName = JobName.TranscribeCall;

  constructor(private readonly stage: TranscribeStage) {}

  process({ callId }: { callId: string }): Promise<StageReport> {
    return this.stage.run(callId);
  }
}
