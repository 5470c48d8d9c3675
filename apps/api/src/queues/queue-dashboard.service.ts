import { Injectable } from '@nestjs/common';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { RequestHandler } from 'express';
import { JobQueues, QueueName, SideQueueName } from '#libs/queue';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/** Every Earshot queue, by the enums that name them: a queue added there shows up here with no other change. */
export const DASHBOARD_QUEUES: readonly (QueueName | SideQueueName)[] = [...Object.values(QueueName), ...Object.values(SideQueueName)];

/**
 * bull-board over every Earshot queue (jobs by state, failure reasons, retry of failed jobs), as an Express handler, on
 * the process's one Redis connection (JobQueues closes the queues at shutdown).
 */
@Injectable()
export class QueueDashboard {
  readonly handler: RequestHandler;

  constructor(queues: JobQueues) {
    const server = new ExpressAdapter().setBasePath(QUEUE_DASHBOARD_PATH);
    createBullBoard({
      queues: DASHBOARD_QUEUES.map((name) => new BullMQAdapter(queues.queue(name))),
      serverAdapter: server,
      options: { uiConfig: { boardTitle: 'Earshot queues' } },
    });
    this.handler = server.getRouter() as RequestHandler;
  }
}
