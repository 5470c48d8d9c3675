import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { WebhookDeliveryRepository } from '#libs/db';
import { EarshotMetrics } from '#libs/metrics';
import { SideJobName, SideQueueName } from '#libs/queue';
import { WebhookEndpoints } from './webhook-endpoints.service.js';
import { WebhookQueue } from './webhook-queue.service.js';
import { sendWebhookOnce } from './webhook-sender.js';
import { isUuid } from '#libs/domain';


/** Delivers queued webhooks: signs each attempt, logs it, retries with exponential backoff until the attempts run out. */
@Injectable()
export class WebhookDeliveryWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WebhookDeliveryWorker.name);
  private worker: Worker | null = null;
  private readonly handlers: Record<SideJobName, (job: Job) => Promise<void>> = {
    [SideJobName.DeliverWebhook]: (job) => this.deliver(job),
  };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly queue: WebhookQueue,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly endpoints: WebhookEndpoints,
    private readonly metrics: EarshotMetrics,
  ) {}

  onApplicationBootstrap(): void {
    const missing = Object.values(SideJobName).filter((name) => !this.handlers[name]);
    if (missing.length > 0) throw new Error(`refusing to start the webhook worker: no handler for ${missing.join(', ')}`);
    this.worker = new Worker(
      SideQueueName.Webhooks,
      async (job) => {
        const handler = this.handlers[job.name as SideJobName];
        if (!handler) throw new UnrecoverableError(`no handler for job ${job.name}`);
        await handler(job);
      },
      { connection: this.queue.connection, prefix: this.config.redis.prefix, concurrency: this.config.webhooks.concurrency },
    );
    this.worker.on('error', (error) => this.logger.error(`webhook worker: ${error.message}`, error.stack));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.worker?.close();
  }

  private async deliver(job: Job): Promise<void> {
    const deliveryId = (job.data as { deliveryId?: unknown }).deliveryId;
    if (!isUuid(deliveryId)) throw new UnrecoverableError('invalid job payload: deliveryId must be a uuid');
    const delivery = await this.deliveries.findById(deliveryId);
    if (!delivery) throw new UnrecoverableError(`webhook delivery ${deliveryId} does not exist`);
    if (delivery.status !== 'pending') return;
    const attemptNo = job.attemptsMade + 1;
    const lastAttempt = attemptNo >= (job.opts.attempts ?? 1);
    const secret = this.endpoints.secretFor(delivery.url);
    if (!secret) {
      await this.deliveries.recordAttempt(delivery.id, { at: new Date().toISOString(), error: 'no secret configured for this URL', durationMs: 0 }, 'failed');
      throw new UnrecoverableError(`no webhook secret is configured for ${delivery.url}`);
    }
    const { attempt, status, permanent } = await sendWebhookOnce({
      url: delivery.url,
      secret,
      eventId: delivery.eventId,
      eventType: delivery.eventType,
      body: JSON.stringify(delivery.payload),
      attemptNo,
      lastAttempt,
      timeoutMs: this.config.webhooks.timeoutMs,
    });
    await this.deliveries.recordAttempt(delivery.id, attempt, status);
    const eventType = delivery.eventType;
    this.metrics.webhookDuration.observe({ event_type: eventType }, attempt.durationMs / 1000);
    this.metrics.webhookDeliveries.inc({
      event_type: eventType,
      outcome: status === 'delivered' ? 'delivered' : permanent || lastAttempt ? 'failed' : 'retried',
    });
    if (status === 'delivered') {
      this.logger.debug(`webhook ${delivery.eventType} ${delivery.eventId} delivered (attempt ${attemptNo})`);
      return;
    }
    const message = `webhook ${delivery.eventType} ${delivery.eventId} to ${delivery.url}, attempt ${attemptNo}: ${attempt.error}`;
    if (permanent) {
      this.logger.warn(`${message}; rejected by the receiver, not retried`);
      throw new UnrecoverableError(message);
    }
    this.logger.warn(lastAttempt ? `${message}; giving up` : `${message}; will retry`);
    throw new Error(message);
  }
}
