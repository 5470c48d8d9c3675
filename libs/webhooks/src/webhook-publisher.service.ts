import { Injectable, Logger } from '@nestjs/common';
import { WebhookDeliveryRepository } from '#libs/db';
import { WebhookEndpoints } from './webhook-endpoints.service.js';
import { JobQueues } from '#libs/queue';

export interface WebhookEvent {
  /** idempotency key: the same id is delivered once, however often it is published */
  id: string;
  /** e.g. opt_out.created */
  type: string;
  data: unknown;
}

/** What is sent: the envelope is stored with the delivery, so every retry sends the same bytes. */
export interface WebhookEnvelope {
  id: string;
  type: string;
  createdAt: string;
  data: unknown;
}

export type PublishResult = { status: 'queued' | 'already-published'; deliveryId: string } | { status: 'skipped'; reason: string };

/** Publishes events to a named webhook endpoint: logged durably first, then delivered (signed, retried) by the worker. */
@Injectable()
export class WebhookPublisher {
  private readonly logger = new Logger(WebhookPublisher.name);

  constructor(
    private readonly endpoints: WebhookEndpoints,
    private readonly deliveries: WebhookDeliveryRepository,
    private readonly queues: JobQueues,
  ) {}

  async publish(endpointName: string, event: WebhookEvent): Promise<PublishResult> {
    const endpoint = this.endpoints.get(endpointName);
    if (!endpoint) return { status: 'skipped', reason: `no webhook endpoint "${endpointName}" is configured` };
    const envelope: WebhookEnvelope = { id: event.id, type: event.type, createdAt: new Date().toISOString(), data: event.data };
    const { delivery, created } = await this.deliveries.createOrGet({
      eventId: event.id,
      eventType: event.type,
      url: endpoint.url,
      payload: envelope,
    });
    // Re-queue a pending delivery too: a crash between the insert and the enqueue must not lose it.
    if (delivery.status === 'pending') await this.queues.enqueueWebhook(delivery.id);
    this.logger.debug(`webhook ${event.type} ${event.id} -> ${endpoint.url} delivery=${delivery.id} created=${created}`);
    return { status: created ? 'queued' : 'already-published', deliveryId: delivery.id };
  }
}
