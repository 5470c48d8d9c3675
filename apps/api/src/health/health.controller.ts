import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { PrismaService } from '#libs/db';
import { PipelineQueues } from '#libs/pipeline';
import { OBJECT_STORAGE, type ObjectStorage } from '#libs/storage';
import { Public } from '../auth/roles.decorator.js';

type Check = { status: 'up' } | { status: 'down'; error: string };

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly queues: PipelineQueues,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Database, Redis and object storage reachability; 503 when any is down' })
  async health(@Res({ passthrough: true }) response: Response) {
    const [database, redis, storage] = await Promise.all([
      probe(() => this.prisma.ping()),
      probe(() => this.queues.ping()),
      probe(() => this.storage.ping()),
    ]);
    const ok = [database, redis, storage].every((check) => check.status === 'up');
    response.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'degraded', checks: { database, redis, storage } };
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
