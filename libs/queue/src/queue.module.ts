import { Global, Module } from '@nestjs/common';
import { MetricsModule } from '#libs/metrics';
import { JobQueues } from './job-queues.service.js';
import { QueueMetrics } from './queue-metrics.js';

/** One Redis connection and the producers on it, for every module of the process (global: one instance). */
@Global()
@Module({
  imports: [MetricsModule],
  providers: [JobQueues, QueueMetrics],
  exports: [JobQueues],
})
export class QueueModule {}
