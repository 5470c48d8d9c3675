import { PinoLogger } from 'nestjs-pino';

// Built on first use, once LoggingModule has made the root logger (a PinoLogger made earlier would make its own).
let contexts: PinoLogger | undefined;

/** Runs fn with these fields (callId, stage, jobId…) on every log line written inside it, awaited work included. */
export function withLogFields<T>(fields: Record<string, string | number | undefined>, fn: () => T): T {
  if (PinoLogger.root === undefined) return fn(); // no structured logging in this process (unit tests)
  contexts ??= new PinoLogger({});
  return contexts.runInContext(fn, { bindings: fields, inherit: true });
}
