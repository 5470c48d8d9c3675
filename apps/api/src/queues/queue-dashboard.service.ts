import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { createRedisConnection } from '#libs/pipeline';
import { QueueName, SideQueueName } from '#libs/queue';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/** Every Earshot queue, by the enums that name them: a queue added there shows up here with no other change. */
export const DASHBOARD_QUEUES: readonly string[] = [...Object.values(QueueName), ...Object.values(SideQueueName)];

/** bull-board over every Earshot queue (jobs by state, failure reasons, retry of failed jobs), as an Express handler. */
@Injectable()
export class QueueDashboard implements OnApplicationShutdown {
  readonly handler: RequestHandler;
  private readonly connection: Redis;
  private readonly queues: Queue[];

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.connection = createRedisConnection(config.redis.url);
    this.queues = DASHBOARD_QUEUES.map((name) => new Queue(name, { connection: this.connection, prefix: config.redis.prefix }));
    const server = new ExpressAdapter().setBasePath(QUEUE_DASHBOARD_PATH);
    createBullBoard({
      queues: this.queues.map((queue) => new BullMQAdapter(queue)),
      serverAdapter: server,
      options: { uiConfig: { boardTitle: 'Earshot queues' } },
    });
    this.handler = server.getRouter() as RequestHandler;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.queues.map((queue) => queue.close()));
    this.connection.disconnect();
  }
}
