import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import pino, { type DestinationStream, type LoggerOptions } from 'pino';
import type { Options as HttpOptions } from 'pino-http';
import pretty from 'pino-pretty';
import type { AppConfig } from '#libs/config';
import { scrubFields, scrubText } from './log-scrub.js';

const PINO_LEVEL: Record<AppConfig['logLevel'], pino.Level> = { error: 'error', warn: 'warn', log: 'info', debug: 'debug', verbose: 'trace' };
/** an incoming X-Request-Id is kept when it looks like an id (a proxy's or a client's), else one is made */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const CALL_PATH = /^\/v1\/calls\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:[/?]|$)/i;

type LoggedRequest = IncomingMessage & { id?: string | number; principal?: { id: string }; originalUrl?: string };

/** pino's own options: level names, ISO time, and every record scrubbed of credentials, phone numbers and transcript text. */
export function pinoLoggerOptions(config: Pick<AppConfig, 'logLevel'>): LoggerOptions {
  return {
    level: PINO_LEVEL[config.logLevel],
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (record) => scrubFields(record) as Record<string, unknown>,
    },
    serializers: {
      err: (error: Error) => scrubFields(pino.stdSerializers.err(error)),
      req: (req: { id?: unknown; method?: string; url?: string }) => ({ id: req.id, method: req.method, url: req.url === undefined ? undefined : scrubText(req.url) }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
    hooks: {
      // messages are scrubbed too: a formatted message can carry what a field would have been redacted for
      logMethod(args, method) {
        method.apply(this, args.map((arg) => (typeof arg === 'string' ? scrubText(arg) : arg)) as Parameters<typeof method>);
      },
    },
  };
}

/** Where lines go: JSON on stdout, or pino-pretty's human-readable lines (demo, development). */
export function logDestination(format: AppConfig['logFormat']): DestinationStream {
  return format === 'pretty'
    ? pretty({ sync: true, colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname,req,res' })
    : pino.destination({ fd: 1, sync: true });
}

/** pino-http: one line per finished request with its request id, the caller's user id and the call id where the path names one. */
export function httpLoggerOptions(config: Pick<AppConfig, 'logLevel'>): HttpOptions<LoggedRequest, ServerResponse> {
  return {
    ...pinoLoggerOptions(config),
    genReqId(req, res) {
      const incoming = req.headers['x-request-id'];
      const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    // app lines written while a request runs carry its id only; the line closing it has the request, response and caller
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'requestId' },
    customSuccessMessage: (req, res, responseTime) => `${req.method} ${scrubText(req.originalUrl ?? req.url ?? '')} ${res.statusCode} ${responseTime} ms`,
    customErrorMessage: (req, res) => `${req.method} ${scrubText(req.originalUrl ?? req.url ?? '')} ${res.statusCode} failed`,
    // asked when the request starts (the path's call id, on every line the request logs) and when it ends (the caller,
    // known once the auth guard ran); each field once
    customProps(req, res) {
      if (!res.headersSent) {
        const callId = CALL_PATH.exec(req.originalUrl ?? req.url ?? '')?.[1];
        return callId ? { callId } : {};
      }
      return req.principal ? { userId: req.principal.id } : {};
    },
    customLogLevel(_req, res, error) {
      if (error || res.statusCode >= 500) return 'error';
      // refusals are security events; other client errors are the client's business
      return [401, 403, 429].includes(res.statusCode) ? 'warn' : 'info';
    },
    // probes and scrapes every few seconds would drown the requests that matter
    autoLogging: { ignore: (req) => /^\/(health|metrics)(\?|$)/.test(req.url ?? '') },
  };
}
