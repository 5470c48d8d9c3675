import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { SideJobName, SideQueueName } from '#libs/queue';

const KEEP_FAILED_JOBS = { age: 30 * 24 * 3600, count: 10_000 };

/** The webhooks queue (producer side) and the Redis connection its worker shares. */
@Injectable()
export class WebhookQueue implements OnApplicationShutdown {
  readonly connection: Redis;
  private queue: Queue | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.connection = new Redis(config.redis.url, { maxRetriesPerRequest: null, lazyConnect: false });
  }

  /** Queues one delivery; the job id is the delivery id, so queueing it twice runs it once. */
  async enqueue(deliveryId: string): Promise<void> {
    this.queue ??= new Queue(SideQueueName.Webhooks, { connection: this.connection, prefix: this.config.redis.prefix });
    await this.queue.add(
      SideJobName.DeliverWebhook,
      { deliveryId },
      {
        jobId: deliveryId,
        attempts: this.config.webhooks.attempts,
        backoff: { type: 'exponential', delay: this.config.webhooks.backoffMs },
        removeOnComplete: true,
        removeOnFail: KEEP_FAILED_JOBS,
      },
    );
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue?.close();
    await this.connection.quit().catch(() => undefined);
  }
}
