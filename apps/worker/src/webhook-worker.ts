import { Inject, Injectable } from '@nestjs/common';
import type { Job } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { isUuid } from '#libs/domain';
import { InvalidJobPayloadError, JobQueues, SideJobName, SideQueueName } from '#libs/queue';
import { WebhookDeliveryService } from '#libs/webhooks';
import { SideQueueWorker } from './side-queue-worker.js';

/** Delivers queued webhooks, one attempt per job run; BullMQ's backoff spaces the retries. */
@Injectable()
export class WebhookWorker extends SideQueueWorker {
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    queues: JobQueues,
    private readonly delivery: WebhookDeliveryService,
  ) {
    super(config, queues, SideQueueName.Webhooks, config.webhooks.concurrency);
  }

  protected async handle(job: Job): Promise<void> {
    if (job.name !== SideJobName.DeliverWebhook) throw new InvalidJobPayloadError(`no handler for job ${job.name}`);
    const deliveryId = (job.data as { deliveryId?: unknown }).deliveryId;
    if (!isUuid(deliveryId)) throw new InvalidJobPayloadError('deliveryId must be a uuid');
    const number = job.attemptsMade + 1;
    await this.delivery.deliver(deliveryId, { number, last: number >= (job.opts.attempts ?? 1) });
  }
}
