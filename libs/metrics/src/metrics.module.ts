import { Global, Module } from '@nestjs/common';
import { EarshotMetrics } from './earshot-metrics.js';
import { MetricsServer } from './metrics-server.js';

/** One EarshotMetrics per process, whichever apps it hosts (API, worker or both). */
@Global()
@Module({ providers: [EarshotMetrics, MetricsServer], exports: [EarshotMetrics] })
export class MetricsModule {}
