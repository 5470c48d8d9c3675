import type { NextFunction, Request, Response } from 'express';
import type { EarshotMetrics } from '#libs/metrics';

/** Times every request, labelled by the route template (never the raw path: ids would explode the series). */
export function httpMetrics(metrics: EarshotMetrics) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const end = metrics.httpDuration.startTimer();
    response.once('finish', () => {
      const route = request.route?.path ? `${request.baseUrl}${String(request.route.path)}` : 'unmatched';
      end({ method: request.method, route, status: String(response.statusCode) });
    });
    next();
  };
}
