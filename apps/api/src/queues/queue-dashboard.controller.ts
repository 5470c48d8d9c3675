import { All, Controller, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles, SameOriginCookieWrites } from '../auth/roles.decorator.js';
import { QUEUE_DASHBOARD_PATH, QueueDashboard } from './queue-dashboard.service.js';

// bull-board's page styles inline and asks Google for fonts: inline styles are allowed, the fonts are not (system fonts)
const DASHBOARD_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'";

/**
 * The queue dashboard (bull-board) behind the API's own sign-in: admins only. A browser signed in to the console
 * opens it with its session cookie; its retry buttons write without the console's CSRF header, so the guard takes a
 * same-origin Origin header instead (SameSite=Strict already keeps the cookie off cross-site requests).
 */
@ApiExcludeController()
@Roles('admin')
@SameOriginCookieWrites()
@Controller()
export class QueueDashboardController {
  constructor(private readonly dashboard: QueueDashboard) {}

  @All([QUEUE_DASHBOARD_PATH.slice(1), `${QUEUE_DASHBOARD_PATH.slice(1)}/{*path}`])
  serve(@Req() request: Request, @Res() response: Response): void {
    response.setHeader('content-security-policy', DASHBOARD_CSP);
    // the router answers paths below its mount point, as app.use(QUEUE_DASHBOARD_PATH, router) would hand them over
    const url = request.originalUrl.slice(QUEUE_DASHBOARD_PATH.length);
    request.url = url.startsWith('/') ? url : `/${url}`;
    request.baseUrl = QUEUE_DASHBOARD_PATH;
    this.dashboard.handler(request, response, () => {
      if (!response.headersSent) response.status(404).json({ statusCode: 404, error: 'not_found', message: `no dashboard page at ${request.originalUrl}` });
    });
  }
}
