import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { CallRepository, PrismaService } from '#libs/db';
import { JobQueues } from '#libs/queue';
import { OBJECT_STORAGE, type ObjectStorage } from '#libs/storage';
import { Public } from '../auth/roles.decorator.js';

type Check = { status: 'up' } | { status: 'down'; error: string };
type PipelineCheck = { status: 'moving' | 'stalled'; processing: number; oldestUnchangedSeconds: number | null };

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly queues: JobQueues,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    private readonly calls: CallRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Database, Redis and object storage reachability, and whether the pipeline moves; 503 when one is down or it is stalled',
    description: 'pipeline: calls processing, and how long the one unchanged longest has been in its stage; stalled past PIPELINE_STALL_MINUTES.',
  })
  async health(@Res({ passthrough: true }) response: Response) {
    const [database, redis, storage] = await Promise.all([
      probe(() => this.prisma.ping()),
      probe(() => this.queues.ping()),
      probe(() => this.storage.ping()),
    ]);
    const pipeline = database.status === 'up' ? await this.pipeline().catch(() => null) : null;
    const ok = [database, redis, storage].every((check) => check.status === 'up') && pipeline?.status !== 'stalled';
    response.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'degraded', checks: { database, redis, storage, ...(pipeline ? { pipeline } : {}) } };
  }

  private async pipeline(): Promise<PipelineCheck> {
    const backlog = await this.calls.processingBacklog();
    const unchangedMs = backlog.oldestUnchangedAt ? Date.now() - backlog.oldestUnchangedAt.getTime() : null;
    return {
      status: unchangedMs !== null && unchangedMs > this.config.jobs.stallAfterMs ? 'stalled' : 'moving',
      processing: backlog.processing,
      oldestUnchangedSeconds: unchangedMs === null ? null : Math.round(unchangedMs / 1000),
    };
  }
}

async function probe(check: () => Promise<void>): Promise<Check> {
  try {
    await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out after 2 s')), 2000).unref())]);
    return { status: 'up' };
  } catch (error) {
    return { status: 'down', error: (error as Error).message };
  }
}
