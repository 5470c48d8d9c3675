import { Injectable } from '@nestjs/common';
import { AnalyseAudioStage } from '#libs/pipeline';
import type { StageProcessor } from '#libs/pipeline';
import { JobName } from '#libs/queue';

@Injectable()
export class AnalyseAudioProcessor implements StageProcessor {
  readonly jobName = JobName.AnalyseCallAudio;

  constructor(private readonly stage: AnalyseAudioStage) {}

  process({ callId }: { callId: string }): Promise<void> {
    return this.stage.run(callId);
  }
}
