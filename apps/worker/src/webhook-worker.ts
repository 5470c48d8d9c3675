import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Job, Worker } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { isUuid } from '#libs/domain';
import { InvalidJobPayloadError, JobQueues, SideJobName, SideQueueName } from '#libs/queue';
import { WebhookDeliveryService } from '#libs/webhooks';
import { startQueueWorker } from './queue-worker.js';

/** Delivers queued webhooks, one attempt per job run; BullMQ's backoff spaces the retries. */
@Injectable()
export class WebhookWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private worker: Worker | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queues: JobQueues,
    private readonly delivery: WebhookDeliveryService,
  ) {}

  onApplicationBootstrap(): void {
    this.worker = startQueueWorker(this.config, this.queues.connection, SideQueueName.Webhooks, (job) => this.deliver(job), {
      concurrency: this.config.webhooks.concurrency,
      lockDurationMs: this.config.jobs.lockDurationMs,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }

  private async deliver(job: Job): Promise<void> {
    if (job.name !== SideJobName.DeliverWebhook) throw new InvalidJobPayloadError(`no handler for job ${job.name}`);
    const deliveryId = (job.data as { deliveryId?: unknown }).deliveryId;
    if (!isUuid(deliveryId)) throw new InvalidJobPayloadError('deliveryId must be a uuid');
    const number = job.attemptsMade + 1;
    await this.delivery.deliver(deliveryId, { number, last: number >= (job.opts.attempts ?? 1) });
  }
}
