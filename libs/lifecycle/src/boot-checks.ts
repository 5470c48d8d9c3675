import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { access, constants, mkdir } from 'node:fs/promises';
import { connect } from 'node:net';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import { AudioToolMissingError, type AudioToolName, type AudioTools, resolveAudioTools } from '#libs/audio';
import type { AppConfig } from '#libs/config';
import { pendingMigrations } from '#libs/db';
import { createObjectStorage } from '#libs/storage';

/** One dependency that does not answer as the process needs it, and what the operator should do. */
export interface BootCheckFailure {
  dependency: string;
  problem: string;
  fix: string;
}

/** The process cannot do its work in this environment; the message lists every missing dependency with its fix. */
export class EnvironmentNotReadyError extends Error {
  override readonly name = 'EnvironmentNotReadyError';

  constructor(readonly failures: BootCheckFailure[]) {
    super(
      `Earshot cannot start: ${failures.length} ${failures.length === 1 ? 'dependency is' : 'dependencies are'} not ready\n` +
        failures.map((f) => `  - ${f.dependency}: ${f.problem}\n    fix: ${f.fix}`).join('\n'),
    );
  }
}

const CHECK_TIMEOUT_MS = 5000;

/** What a process checks beyond what every Earshot process needs. */
export interface BootCheckScope {
  /** the transcription endpoint (a process that runs the pipeline's stages); default true */
  transcription?: boolean;
}

/**
 * Checks, all at once, what an Earshot process needs: ffmpeg/ffprobe runnable (the stages decode; the API cuts
 * library clips and draws waveforms), the database reachable and migrated to the latest migration, Redis reachable
 * with maxmemory-policy noeviction, storage writable, and, for a process that runs the stages, the transcription
 * endpoint reachable when one is configured. Resolves to the audio tools to use; rejects with
 * EnvironmentNotReadyError naming each failure.
 */
export async function assertEnvironmentReady(config: AppConfig, scope: BootCheckScope = {}): Promise<AudioTools> {
  let tools: AudioTools | null = null;
  const failures: BootCheckFailure[] = [];
  try {
    tools = resolveAudioTools(config.audioTools, config.audioTools.searchPath);
  } catch (error) {
    if (!(error instanceof AudioToolMissingError)) throw error;
    failures.push(audioToolFailure(error));
  }
  const resolved = tools;
  const results = await Promise.all([
    ...(resolved ? (['ffmpeg', 'ffprobe'] as const).map((tool) => checkAudioTool(tool, resolved[tool].path)) : []),
    checkDatabase(config),
    checkRedis(config.redis.url),
    checkStorage(config),
    scope.transcription === false ? null : checkTranscription(config),
  ]);
  failures.push(...results.flatMap((result) => result ?? []));
  if (failures.length > 0 || !tools) throw new EnvironmentNotReadyError(failures);
  return tools;
}

function audioToolFailure(error: AudioToolMissingError): BootCheckFailure {
  const setting = error.tool === 'ffmpeg' ? 'FFMPEG_PATH' : 'FFPROBE_PATH';
  return {
    dependency: error.tool,
    problem: `cannot be run (${error.path}: ${error.reason})`,
    fix: `install ${error.tool} on the PATH (Debian: apt-get install -y ffmpeg), set ${setting} to an executable, or run npm install so the bundled binary is present`,
  };
}

function checkAudioTool(tool: AudioToolName, path: string): Promise<BootCheckFailure | null> {
  return new Promise((resolve) => {
    execFile(path, ['-version'], { timeout: CHECK_TIMEOUT_MS }, (error, stdout) => {
      if (!error && /version/i.test(stdout)) return resolve(null);
      resolve(audioToolFailure(new AudioToolMissingError(tool, path, error ? error.message.split('\n')[0] : 'printed no version')));
    });
  });
}

async function checkDatabase(config: AppConfig): Promise<BootCheckFailure | null> {
  if (config.database.kind === 'pglite') {
    // embedded: migrated when opened; it needs its folder
    return writableDir(config.database.dataDir, 'database (embedded PGlite)', 'make EARSHOT_DATA_DIR a folder this user can write, or set DATABASE_URL');
  }
  const url = redactUrl(config.database.url);
  try {
    const pending = await withTimeout(pendingMigrations(config.database.url), `no answer from ${url}`);
    if (pending.length === 0) return null;
    return {
      dependency: 'database',
      problem: `${url} is not migrated: ${pending.length} migration(s) pending, the latest ${pending[pending.length - 1]}`,
      fix: 'run `npm run db:migrate` (or `prisma migrate deploy`) with this DATABASE_URL, then start again',
    };
  } catch (error) {
    return {
      dependency: 'database',
      problem: `cannot query ${url}: ${messageOf(error)}`,
      fix: 'start PostgreSQL, or correct DATABASE_URL (host, port, user, database name)',
    };
  }
}

async function checkRedis(url: string): Promise<BootCheckFailure | null> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: CHECK_TIMEOUT_MS });
  let lastError: Error | null = null;
  redis.on('error', (error: Error) => {
    lastError = error;
  });
  const where = redactUrl(url);
  try {
    await withTimeout(redis.connect(), `no answer from ${where}`);
    const info = await withTimeout(redis.info('memory'), `no answer from ${where}`);
    const policy = /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
    if (policy && policy !== 'noeviction') {
      return {
        dependency: 'Redis',
        problem: `${where} has maxmemory-policy ${policy}: under memory pressure it would silently drop queued jobs`,
        fix: 'set maxmemory-policy noeviction (redis-cli CONFIG SET maxmemory-policy noeviction, and in redis.conf)',
      };
    }
    return null;
  } catch (error) {
    // ioredis rejects with "Connection is closed"; the socket's own error says why
    return { dependency: 'Redis', problem: `cannot reach ${where}: ${messageOf(lastError ?? error)}`, fix: 'start Redis, or correct REDIS_URL' };
  } finally {
    redis.disconnect();
  }
}

async function checkStorage(config: AppConfig): Promise<BootCheckFailure | null> {
  const where = config.storage.kind === 'local' ? `folder ${config.storage.root}` : `bucket ${config.storage.bucket} at ${config.storage.endPoint}`;
  const fix =
    config.storage.kind === 'local'
      ? 'make STORAGE_DIR (default EARSHOT_DATA_DIR/storage) a folder this user can write'
      : 'check S3_ENDPOINT, S3_PORT, S3_USE_SSL, the access keys and that they may write to S3_BUCKET';
  try {
    const storage = createObjectStorage(config.storage);
    const key = `boot-check/${hostname()}-${process.pid}-${randomUUID()}.txt`;
    await withTimeout(
      (async () => {
        await storage.ensureReady();
        const body = Buffer.from('earshot boot check\n');
        await storage.put(key, body, { contentType: 'text/plain', size: body.length });
        await storage.delete(key);
      })(),
      `no answer from ${where}`,
    );
    return null;
  } catch (error) {
    return { dependency: 'storage', problem: `cannot write to ${where}: ${messageOf(error)}`, fix };
  }
}

async function checkTranscription(config: AppConfig): Promise<BootCheckFailure | null> {
  const openai = config.transcription.openai;
  if (config.transcription.provider !== 'openai' || !openai) return null;
  // a TCP connection only: a request would count against the provider's rate limits on every boot
  const url = new URL(openai.baseURL ?? 'https://api.openai.com/v1');
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  try {
    await withTimeout(
      new Promise<void>((resolve, reject) => {
        const socket = connect({ host: url.hostname, port }, () => {
          socket.end();
          resolve();
        });
        socket.on('error', reject);
      }),
      `no answer from ${url.host}`,
    );
    return null;
  } catch (error) {
    return {
      dependency: 'transcription provider',
      problem: `TRANSCRIPTION_PROVIDER=openai but ${url.origin} does not answer: ${messageOf(error)}`,
      fix: 'correct OPENAI_BASE_URL (or start the Whisper-compatible server), or set TRANSCRIPTION_PROVIDER=sidecar to accept only uploads with transcripts',
    };
  }
}

async function writableDir(dir: string, dependency: string, fix: string): Promise<BootCheckFailure | null> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
    return null;
  } catch (error) {
    return { dependency, problem: `${dir} is not writable: ${messageOf(error)}`, fix };
  }
}

function withTimeout<T>(work: Promise<T>, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${message} within ${CHECK_TIMEOUT_MS / 1000} s`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

function messageOf(error: unknown): string {
  const e = error as { message?: string; code?: string };
  const message = e?.message || e?.code || String(error);
  return message.split('\n')[0];
}

function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
