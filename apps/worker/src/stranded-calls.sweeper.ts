import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { IngestService } from '#libs/calls';

const SWEEP_EVERY_MS = 60_000;
const STRANDED_AFTER_MS = 120_000;

/**
 * Re-queues calls the API committed but never got onto Redis (a crash between the two), and calls whose current
 * stage's job Redis lost (restarted without its data), so no call stays queued or processing forever.
 */
@Injectable()
export class StrandedCallsSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StrandedCallsSweeper.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ingest: IngestService) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  private async sweep(): Promise<void> {
    try {
      const requeued = await this.ingest.requeueStranded(STRANDED_AFTER_MS);
      if (requeued > 0) this.logger.warn(`re-queued ${requeued} stranded call(s)`);
      const reconciled = await this.ingest.reconcileProcessing(STRANDED_AFTER_MS);
      if (reconciled > 0) this.logger.warn(`re-queued the current stage of ${reconciled} call(s) whose job was lost from Redis`);
    } catch (error) {
      this.logger.error(`stranded-call sweep failed: ${(error as Error).message}`, (error as Error).stack);
    }
  }
}
