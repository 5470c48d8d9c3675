import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Global, Inject, Injectable, Logger, Module, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, ConfigModule } from '#libs/config';
import { type TempLocation, sweepStaleTempFiles } from './temp-sweep.js';

/** work folders made with mkdtemp(join(tmpdir(), 'earshot-<what>-')): clips, audio copies, redaction, transcription, exports */
const WORK_FOLDER = /^earshot-[a-z]+-[A-Za-z0-9]{6}$/;

/** Where Earshot's processes leave temp files: the upload spool, ffmpeg work folders, local storage's unfinished writes. */
export function tempLocations(config: AppConfig): TempLocation[] {
  const locations: TempLocation[] = [{ dir: config.tempFiles.uploadDir }, { dir: tmpdir(), match: WORK_FOLDER }];
  if (config.storage.kind === 'local') locations.push({ dir: join(config.storage.root, 'tmp') });
  return locations;
}

/** Every few minutes, deletes temp files older than TEMP_FILE_MAX_AGE_MINUTES (left by a killed process). */
@Injectable()
export class TempFileSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TempFileSweeper.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onApplicationBootstrap(): void {
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), this.config.tempFiles.sweepIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(): Promise<string[]> {
    const removed = await sweepStaleTempFiles(tempLocations(this.config), new Date(Date.now() - this.config.tempFiles.maxAgeMs));
    if (removed.length > 0) this.logger.log(`deleted ${removed.length} stale temp file(s) left by killed processes`);
    return removed;
  }
}

/** The temp-file sweeper, once per process however many apps import it. */
@Global()
@Module({ imports: [ConfigModule], providers: [TempFileSweeper], exports: [TempFileSweeper] })
export class TempFileSweepModule {}
