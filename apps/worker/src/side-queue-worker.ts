import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import type { AppConfig } from '#libs/config';
import type { JobQueues, SideQueueName } from '#libs/queue';
import { startQueueWorker } from './queue-worker.js';

/** A worker on one side queue for the life of the app: started at bootstrap, closed at shutdown (jobs in hand finish). */
export abstract class SideQueueWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private worker: Worker | null = null;

  protected constructor(
    protected readonly config: AppConfig,
    protected readonly queues: JobQueues,
    private readonly queue: SideQueueName,
    private readonly concurrency: number,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = startQueueWorker(this.config, this.queues.connection, this.queue, (job) => this.handle(job), {
      concurrency: this.concurrency,
      lockDurationMs: this.config.jobs.lockDurationMs,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }

  protected abstract handle(job: Job): Promise<unknown>;
}
