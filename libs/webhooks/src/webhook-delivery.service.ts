import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { WebhookDeliveryRepository } from '#libs/db';
import { EarshotMetrics } from '#libs/metrics';
import { PermanentJobError } from '#libs/queue';
import { WebhookEndpoints } from './webhook-endpoints.service.js';
import { sendWebhookOnce } from './webhook-sender.js';

export interface DeliveryAttempt {
  /** 1 for the first try */
  number: number;
  /** no retry follows this one */
  last: boolean;
}

/**
 * One attempt at a queued webhook: signed, logged in the delivery log, counted. Throws PermanentJobError when no retry
 * can help (the receiver rejected it, no secret is configured), an Error to be retried otherwise. The worker app runs
 * it from the webhooks queue with backoff until the attempts run out.
 */
@Injectable()
export class WebhookDeliveryService {
  private readonly logger = new Logger(WebhookDeliveryService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly endpoints: WebhookEndpoints,
    private readonly metrics: EarshotMetrics,
  ) {}

  async deliver(deliveryId: string, attemptOf: DeliveryAttempt): Promise<void> {
    const delivery = await this.deliveries.findById(deliveryId);
    if (!delivery) throw new PermanentJobError(`webhook delivery ${deliveryId} does not exist`);
    if (delivery.status !== 'pending') return;
    const secret = this.endpoints.secretFor(delivery.url);
    if (!secret) {
      await this.deliveries.recordAttempt(delivery.id, { at: new Date().toISOString(), error: 'no secret configured for this URL', durationMs: 0 }, 'failed');
      throw new PermanentJobError(`no webhook secret is configured for ${delivery.url}`);
    }
    const { attempt, status, permanent } = await sendWebhookOnce({
      url: delivery.url,
      secret,
      eventId: delivery.eventId,
      eventType: delivery.eventType,
      body: JSON.stringify(delivery.payload),
      attemptNo: attemptOf.number,
      lastAttempt: attemptOf.last,
      timeoutMs: this.config.webhooks.timeoutMs,
    });
    await this.deliveries.recordAttempt(delivery.id, attempt, status);
    const eventType = delivery.eventType;
    this.metrics.webhookDuration.observe({ event_type: eventType }, attempt.durationMs / 1000);
    this.metrics.webhookDeliveries.inc({
      event_type: eventType,
      outcome: status === 'delivered' ? 'delivered' : permanent || attemptOf.last ? 'failed' : 'retried',
    });
    if (status === 'delivered') {
      this.logger.debug(`webhook ${delivery.eventType} ${delivery.eventId} delivered (attempt ${attemptOf.number})`);
      return;
    }
    const message = `webhook ${delivery.eventType} ${delivery.eventId} to ${delivery.url}, attempt ${attemptOf.number}: ${attempt.error}`;
    if (permanent) throw new PermanentJobError(`${message}; rejected by the receiver, not retried`);
    throw new Error(attemptOf.last ? `${message}; giving up` : `${message}; will retry`);
  }
}
