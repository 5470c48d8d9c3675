import { Module } from '@nestjs/common';
import { MetricsModule } from '#libs/metrics';
import { WebhookDeliveryWorker } from './webhook-delivery.worker.js';
import { WebhooksModule } from './webhooks.module.js';

/** The delivery worker: imported by apps/worker, so the API process never sends webhooks itself. */
@Module({
  imports: [WebhooksModule, MetricsModule],
  providers: [WebhookDeliveryWorker],
})
export class WebhookDeliveryModule {}
