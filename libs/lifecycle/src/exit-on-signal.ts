import { Logger } from '@nestjs/common';

interface Closable {
  close(signal?: string): Promise<void>;
}

/**
 * SIGTERM / SIGINT close the app (in-flight jobs finish, connections close) and exit 0, so an orchestrator sees
 * a clean stop. A second signal during shutdown exits at once.
 */
export function exitOnSignal(app: Closable): void {
  let closing = false;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      if (closing) process.exit(1);
      closing = true;
      app.close(signal).then(
        () => process.exit(0),
        (error: unknown) => {
          Logger.error(`shutdown failed: ${(error as Error).message}`, (error as Error).stack, 'Main');
          process.exit(1);
        },
      );
    });
  }
}
