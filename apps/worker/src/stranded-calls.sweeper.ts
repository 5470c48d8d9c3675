import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { IngestService } from '#libs/pipeline';

const SWEEP_EVERY_MS = 60_000;
const STRANDED_AFTER_MS = 120_000;

/** Re-queues calls the API committed but never got onto Redis (a crash between the two). */
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
    } catch (error) {
      this.logger.error(`stranded-call sweep failed: ${(error as Error).message}`, (error as Error).stack);
    }
  }
}
