import { Controller, Get, Headers, Inject, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { EarshotMetrics, metricsTokenMatches } from '#libs/metrics';
import { Public } from '../auth/roles.decorator.js';
import { UnauthorizedError } from '../auth/auth.errors.js';
import { METRICS_SECURITY } from '../common/openapi.js';

/** Prometheus scrape endpoint on the API port, behind METRICS_TOKEN (not a user session: scrapers have no users). */
@ApiTags('operations')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly metrics: EarshotMetrics,
  ) {}

  @Get()
  @ApiBearerAuth(METRICS_SECURITY)
  @ApiProduces('text/plain')
  @ApiResponse({ status: 200, description: 'Prometheus text exposition format 0.0.4', schema: { type: 'string' } })
  @ApiOperation({ summary: 'Prometheus metrics (text format); needs the METRICS_TOKEN bearer token (401 for every caller while METRICS_TOKEN is unset)' })
  async scrape(@Headers('authorization') authorization: string | undefined, @Res() response: Response): Promise<void> {
    const token = this.config.metrics.token;
    // unset: no credential opens it, so it answers like any protected route rather than looking absent
    if (!token) throw new UnauthorizedError('/metrics is off on this port: set METRICS_TOKEN (or METRICS_PORT for a port of its own)');
    if (!metricsTokenMatches(authorization, token)) throw new UnauthorizedError('metrics need the METRICS_TOKEN bearer token');
    const { contentType, body } = await this.metrics.scrape();
    response.setHeader('content-type', contentType);
    response.send(body);
  }
}
