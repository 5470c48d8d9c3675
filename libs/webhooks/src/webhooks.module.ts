import { Module } from '@nestjs/common';
import { WebhookEndpoints } from './webhook-endpoints.service.js';
import { WebhookPublisher } from './webhook-publisher.service.js';
import { WebhookQueue } from './webhook-queue.service.js';

/**
 * Signed webhook delivery with retries and a delivery log. Inject WebhookPublisher to send; WebhookEndpoints to add a
 * named endpoint. Publishing only enqueues; WebhookDeliveryModule runs the delivery worker (worker processes only).
 */
@Module({
  providers: [WebhookEndpoints, WebhookQueue, WebhookPublisher],
  exports: [WebhookEndpoints, WebhookPublisher, WebhookQueue],
})
export class WebhooksModule {}
