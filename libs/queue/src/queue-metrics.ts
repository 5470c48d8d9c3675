import { Injectable, type OnModuleInit } from '@nestjs/common';
import { EarshotMetrics } from '#libs/metrics';
import { QueueName, SideQueueName } from './queue-names.js';
import { JobQueues } from './job-queues.service.js';

const STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/** Queue depth and the age of the oldest waiting job per queue, read from Redis at each scrape. */
@Injectable()
export class QueueMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: EarshotMetrics,
    private readonly queues: JobQueues,
  ) {}

  onModuleInit(): void {
    this.metrics.beforeScrape(() => this.sample());
  }

  private async sample(): Promise<void> {
    const now = Date.now();
    await Promise.all(
      [...Object.values(QueueName), ...Object.values(SideQueueName)].map(async (name) => {
        const queue = this.queues.queue(name);
        const counts = await queue.getJobCounts(...STATES);
        for (const state of STATES) this.metrics.queueJobs.set({ queue: name, state }, counts[state] ?? 0);
        // BullMQ's wait list is FIFO: the oldest waiting job is its last element
        const [oldest] = await queue.getWaiting(-1, -1);
        this.metrics.queueOldestWaiting.set({ queue: name }, oldest ? Math.max(0, (now - oldest.timestamp) / 1000) : 0);
      }),
    );
  }
}
