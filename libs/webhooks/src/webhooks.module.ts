import { Module } from '@nestjs/common';
import { WebhookEndpoints } from './webhook-endpoints.service.js';
import { WebhookPublisher } from './webhook-publisher.service.js';
import { WebhookDeliveryService } from './webhook-delivery.service.js';

/**
 * Signed webhook delivery with retries and a delivery log. Inject WebhookPublisher to send; WebhookEndpoints to add a
 * named endpoint. Publishing only enqueues; the worker app runs WebhookDeliveryService from the webhooks queue.
 */
@Module({
  providers: [WebhookEndpoints, WebhookPublisher, WebhookDeliveryService],
  exports: [WebhookEndpoints, WebhookPublisher, WebhookDeliveryService],
})
export class WebhooksModule {}
