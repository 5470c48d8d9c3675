import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { REDACTION_KINDS, type RedactionKind } from '#libs/redaction';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);

/** The largest UPLOAD_MAX_BYTES accepted (16 GiB); Call.audioBytes is 64-bit. */
export const MAX_UPLOAD_BYTES = 16 * 1024 ** 3;

/** the folder under the OS temp dir where multipart uploads are spooled (its own, so the temp sweeper may empty it) */
export const UPLOAD_SPOOL_DIR = 'earshot-uploads';

/** Every environment variable Earshot reads. Nothing else in the code base reads process.env. */
const environmentSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    LOG_LEVEL: z.enum(['error', 'warn', 'log', 'debug', 'verbose']).default('log'),
    // json: one JSON object a line (production, log shippers); pretty: human-readable. Unset: pretty in development only
    LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
    HOST: z.string().min(1).default('127.0.0.1'),
    PORT: int(0, 65535).default(3000),
    EARSHOT_DATA_DIR: z.string().min(1).default('.data'),

    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),

    REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
    QUEUE_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only')
      .default('earshot'),

    S3_ENDPOINT: z.string().min(1).optional(),
    S3_PORT: int(1, 65535).optional(),
    S3_USE_SSL: bool.default(false),
    S3_ACCESS_KEY: z.string().min(1).optional(),
    S3_SECRET_KEY: z.string().min(1).optional(),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_BUCKET: z.string().min(3).default('earshot'),
    S3_PATH_STYLE: bool.default(true),
    STORAGE_DIR: z.string().min(1).optional(),

    // one recording: at most 16 GiB (about 145 hours of 8 kHz stereo PCM; a WAV cannot exceed 4 GiB anyway). The file
    // is spooled to the temp folder and stored as one object, so a larger limit only lets one request fill the disk
    UPLOAD_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(MAX_UPLOAD_BYTES, { message: `at most ${MAX_UPLOAD_BYTES} (16 GiB): a recording is spooled to the temp folder whole before it is stored` })
      .default(512 * 1024 * 1024),
    // JSON request bodies (everything but uploads); a larger one is a 413
    JSON_BODY_LIMIT_BYTES: int(1024, 64 * 1024 * 1024).default(1024 * 1024),
    // browser origins allowed to call the API cross-origin: unset allows none (the console is same-origin)
    CORS_ORIGINS: z
      .string()
      .trim()
      .transform((value, ctx): string[] => {
        const origins = value.split(',').map((origin) => origin.trim()).filter(Boolean);
        for (const origin of origins) {
          const parsed = URL.canParse(origin) ? new URL(origin) : null;
          if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin) {
            ctx.addIssue({ code: 'custom', message: `"${origin}" is not an origin like https://qa.example.com (scheme, host, optional port; no path)` });
            return z.NEVER;
          }
        }
        return origins;
      })
      .optional(),

    // Prometheus /metrics: on the API port behind this bearer token, and/or on its own port (every process, the
    // worker included); neither set: no metrics endpoint
    METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
    // the audit chain's head is signed with this key (kept out of the database) and anchored in object storage every
    // AUDIT_ANCHOR_INTERVAL_MINUTES, so verify can tell a truncated or re-hashed chain; unset: no anchoring
    AUDIT_CHAIN_KEY: z.string().min(32, 'at least 32 characters').optional(),
    AUDIT_ANCHOR_INTERVAL_MINUTES: int(1, 24 * 60).default(5),
    METRICS_PORT: int(1, 65535).optional(),

    // ffmpeg/ffprobe binaries; unset: the first on the PATH, else the static build inside the npm package
    FFMPEG_PATH: z.string().refine(isAbsolute, 'an absolute path to the ffmpeg executable').optional(),
    FFPROBE_PATH: z.string().refine(isAbsolute, 'an absolute path to the ffprobe executable').optional(),
    // where ffmpeg/ffprobe are looked for when their settings are unset
    PATH: z.string().default(''),

    CLIP_PAD_SECONDS: z.coerce.number().min(0).max(60).default(3),
    CLIP_FORMAT: z.enum(['mp3', 'opus']).default('mp3'),
    // stream: the API serves recordings and clips itself (HTTP Range); redirect: 302 to a presigned S3 URL
    MEDIA_DELIVERY: z.enum(['stream', 'redirect']).optional(),
    MEDIA_URL_TTL_SECONDS: int(10, 7 * 24 * 3600).default(300),

    JOB_ATTEMPTS: int(1, 100).default(5),
    JOB_BACKOFF_MS: int(0).default(2000),
    JOB_LOCK_DURATION_MS: int(1000).default(60_000),
    // /health reports the pipeline stalled when a call has been in one stage this long (the reconciler re-queues lost
    // jobs within minutes, so only a stuck worker, a full queue or a stage far slower than usual trips it)
    PIPELINE_STALL_MINUTES: int(1, 7 * 24 * 60).default(30),
    // how often a worker checks that the periodic jobs' schedulers are still in Redis (re-created when Redis lost them)
    SCHEDULER_CHECK_SECONDS: int(1, 3600).default(60),
    // jobs a worker process runs at once per lane: transcription waits on the provider; the analysis lane runs the rest,
    // mostly waiting on Postgres, where concurrent jobs' reads and writes share statements (group commit): more jobs in
    // flight, larger batches (bench/RESULTS.md: 32 → 64 took bench:pipeline from 119 to 138 calls/s); the ffmpeg
    // processes they start wait for one of the cores' worth of slots (libs/audio process-slots)
    WORKER_CONCURRENCY_TRANSCRIBE: int(1, 1000).default(4),
    WORKER_CONCURRENCY_ANALYSIS: int(1, 1000).default(64),
    SHUTDOWN_GRACE_MS: int(0).default(30_000),

    TRANSCRIPTION_PROVIDER: z.enum(['sidecar', 'openai']).default('sidecar'),
    OPENAI_BASE_URL: z.url().optional(),
    OPENAI_API_KEY: z.string().min(1).optional(),
    TRANSCRIPTION_MODEL: z.string().min(1).default('whisper-1'),
    TRANSCRIPTION_RESPONSE_FORMAT: z.enum(['auto', 'verbose_json', 'json', 'diarized_json']).default('auto'),
    TRANSCRIPTION_WORD_TIMESTAMPS: bool.default(true),
    TRANSCRIPTION_TIMEOUT_MS: int(1000).default(120_000),
    TRANSCRIPTION_MAX_RETRIES: int(0, 20).default(4),
    TRANSCRIPTION_CONCURRENCY: int(1, 256).default(4),
    TRANSCRIPTION_UPLOAD_LIMIT_BYTES: int(64 * 1024).default(25 * 1024 * 1024),

    // LLM checks: enabled when LLM_API_KEY or LLM_BASE_URL is set, otherwise every call records them as skipped
    LLM_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
    LLM_API_KEY: z.string().min(1).optional(),
    LLM_MODEL: z.string().min(1).default('gpt-4o-mini'),
    LLM_TIMEOUT_MS: int(1000).default(60_000),
    LLM_MAX_RETRIES: int(0, 20).default(2),
    LLM_REDACT: bool.default(true),
    // LLM requests in flight at once per worker process (every call's questions share it)
    LLM_CONCURRENCY: int(1, 256).default(4),
    // what stored transcripts and the muted recording leave out: "all", "none", or a comma list of kinds
    // (card, national_id, email, bank_account, phone, name, address, date_of_birth); campaigns add or exempt kinds
    REDACTION_KINDS: z
      .string()
      .trim()
      .toLowerCase()
      .default('all')
      .transform((value, ctx): RedactionKind[] => {
        if (value === 'all') return [...REDACTION_KINDS];
        if (value === 'none') return [];
        const names = value.split(',').map((name) => name.trim()).filter(Boolean);
        const unknown = names.filter((name) => !(REDACTION_KINDS as readonly string[]).includes(name));
        if (unknown.length > 0) {
          ctx.addIssue({ code: 'custom', message: `unknown kind ${unknown.join(', ')}; expected all, none or some of ${REDACTION_KINDS.join(', ')}` });
          return z.NEVER;
        }
        return REDACTION_KINDS.filter((kind) => names.includes(kind));
      }),
    LLM_PRICE_INPUT_PER_MTOK: z.coerce.number().min(0).optional(),
    LLM_PRICE_OUTPUT_PER_MTOK: z.coerce.number().min(0).optional(),

    CALLING_HOURS_START: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24-hour)').default('08:00'),
    CALLING_HOURS_END: z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'expected HH:MM (24-hour)').default('21:00'),
    MAX_CALLS_PER_NUMBER_PER_DAY: int(1, 1000).default(2),
    /** the organisation's IANA time zone: dashboard days are cut at its midnight unless a campaign names its own */
    ORGANISATION_TIME_ZONE: z
      .string()
      .min(1)
      .refine((zone) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: zone });
          return true;
        } catch {
          return false;
        }
      }, 'an IANA time zone such as Europe/London or America/New_York')
      .default('UTC'),
    OPTOUT_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
    OPTOUT_WEBHOOK_SECRET: z.string().min(16, 'at least 16 characters').optional(),
    ALERT_WEBHOOK_URL: z.url({ protocol: /^https?$/ }).optional(),
    ALERT_WEBHOOK_SECRET: z.string().min(16, 'at least 16 characters').optional(),
    WEBHOOK_ATTEMPTS: int(1, 100).default(10),
    WEBHOOK_BACKOFF_MS: int(0).default(2000),
    WEBHOOK_TIMEOUT_MS: int(100).default(10_000),
    WORKER_CONCURRENCY_WEBHOOKS: int(1, 1000).default(8),

    // The first admin, created at API start when no user exists yet; change the password after first sign-in.
    ADMIN_EMAIL: z.email().optional(),
    ADMIN_PASSWORD: z.string().min(12, 'at least 12 characters').optional(),
    SESSION_TTL_HOURS: int(1, 24 * 30).default(12),
    // failed sign-ins per email and client address within the window, before login answers 429
    LOGIN_MAX_FAILURES: int(1, 1000).default(5),
    LOGIN_WINDOW_SECONDS: int(1, 24 * 3600).default(900),
    // behind a reverse proxy: which X-Forwarded-For hops to trust for the client address (Express "trust proxy"),
    // e.g. 1, loopback or 10.0.0.0/8; unset trusts none, so every client behind the proxy shares its address
    TRUST_PROXY: z.string().min(1).optional(),
    // the console's static build (npm run build writes it); served at / when it holds an index.html
    CONSOLE_DIR: z.string().min(1).default('dist/console'),
    RETENTION_SWEEP_INTERVAL_MINUTES: int(1, 7 * 24 * 60).default(60),
    // temp files (upload parts, ffmpeg work folders, unfinished storage writes) older than this are left by a killed
    // process and are deleted; longer than any job or upload runs
    TEMP_FILE_MAX_AGE_MINUTES: int(10, 7 * 24 * 60).default(360),
    // how often the workers bring stored calls up to the current redaction rules and kinds (view, muted copy, clips)
    REDACTION_BACKFILL_INTERVAL_MINUTES: int(1, 7 * 24 * 60).default(60),
    // the calibration report flags a rule or LLM question whose precision on reviewed calls is under this
    CALIBRATION_PRECISION_FLOOR: z.coerce.number().min(0).max(1).default(0.8),
    // calls a re-check reads, checks and writes per batch (one transcript query, one findings query, one write)
    RECHECK_BATCH_SIZE: int(1, 5000).default(500),
    // worker threads a re-check runs the rules on while it lasts (0: in the job's own thread); one per core
    RECHECK_THREADS: int(0, 64).default(2),

    // Testing aid, honoured only with NODE_ENV=test: "check=3000,score=10" holds a stage after its write.
    FAULT_DELAY_AFTER_STAGE: z
      .string()
      .regex(/^([a-z-]+=\d+)(,[a-z-]+=\d+)*$/, 'expected stage=ms[,stage=ms]')
      .optional(),
  })
  .superRefine((env, ctx) => {
    if (env.S3_ENDPOINT && (!env.S3_ACCESS_KEY || !env.S3_SECRET_KEY)) {
      for (const key of ['S3_ACCESS_KEY', 'S3_SECRET_KEY'] as const) {
        if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'required when S3_ENDPOINT is set' });
      }
    }
    if (env.MEDIA_DELIVERY === 'redirect' && !env.S3_ENDPOINT) {
      ctx.addIssue({ code: 'custom', path: ['MEDIA_DELIVERY'], message: 'redirect needs S3 storage (S3_ENDPOINT)' });
    }
    if (env.ALERT_WEBHOOK_URL && !env.ALERT_WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['ALERT_WEBHOOK_SECRET'], message: 'required when ALERT_WEBHOOK_URL is set' });
    }
    if (env.OPTOUT_WEBHOOK_URL && !env.OPTOUT_WEBHOOK_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['OPTOUT_WEBHOOK_SECRET'], message: 'required when OPTOUT_WEBHOOK_URL is set' });
    }
    if ((env.LLM_PRICE_INPUT_PER_MTOK === undefined) !== (env.LLM_PRICE_OUTPUT_PER_MTOK === undefined)) {
      const missing = env.LLM_PRICE_INPUT_PER_MTOK === undefined ? 'LLM_PRICE_INPUT_PER_MTOK' : 'LLM_PRICE_OUTPUT_PER_MTOK';
      ctx.addIssue({ code: 'custom', path: [missing], message: 'set both LLM prices or neither' });
    }
    if (env.CALLING_HOURS_START >= env.CALLING_HOURS_END) {
      ctx.addIssue({ code: 'custom', path: ['CALLING_HOURS_END'], message: 'must be later than CALLING_HOURS_START' });
    }
    if ((env.ADMIN_EMAIL === undefined) !== (env.ADMIN_PASSWORD === undefined)) {
      ctx.addIssue({ code: 'custom', path: [env.ADMIN_EMAIL ? 'ADMIN_PASSWORD' : 'ADMIN_EMAIL'], message: 'set ADMIN_EMAIL and ADMIN_PASSWORD together' });
    }
    if (env.TRANSCRIPTION_PROVIDER === 'openai' && !env.OPENAI_API_KEY) {
      ctx.addIssue({ code: 'custom', path: ['OPENAI_API_KEY'], message: 'required when TRANSCRIPTION_PROVIDER=openai' });
    }
  });

export type Environment = z.infer<typeof environmentSchema>;

export type StageName = 'transcribe' | 'analyse-audio' | 'check' | 'score' | 'clip' | 'rollup';

export interface AppConfig {
  env: Environment['NODE_ENV'];
  logLevel: Environment['LOG_LEVEL'];
  logFormat: 'json' | 'pretty';
  http: {
    host: string;
    port: number;
    uploadMaxBytes: number;
    jsonBodyLimitBytes: number;
    /** origins allowed cross-origin; empty: CORS off */
    corsOrigins: string[];
    trustProxy?: number | string;
    consoleDir: string;
  };
  /** Prometheus metrics: the bearer token /metrics asks for, and the separate port serving it (both optional) */
  metrics: { token?: string; port?: number };
  /** the key that signs audit checkpoints (none: no anchoring) and how often the head is anchored */
  audit: { chainKey?: string; anchorIntervalMs: number };
  /** FFMPEG_PATH/FFPROBE_PATH when set, and the PATH to search otherwise (#libs/audio resolveAudioTools) */
  audioTools: { ffmpegPath?: string; ffprobePath?: string; searchPath: string };
  dataDir: string;
  /** postgres when DATABASE_URL is set, else embedded PGlite in the data folder (single process only) */
  database: { kind: 'postgres'; url: string } | { kind: 'pglite'; dataDir: string };
  redis: { url: string; prefix: string };
  storage:
    | {
        kind: 's3';
        endPoint: string;
        port?: number;
        useSSL: boolean;
        accessKey: string;
        secretKey: string;
        region: string;
        bucket: string;
        pathStyle: boolean;
      }
    | { kind: 'local'; root: string };
  jobs: {
    attempts: number;
    backoffMs: number;
    lockDurationMs: number;
    shutdownGraceMs: number;
    stallAfterMs: number;
    /** how often the job schedulers (retention, redaction backfill, maintenance) are checked and re-created if lost */
    schedulerCheckMs: number;
    /** per pipeline lane (libs/queue QueueName) */
    concurrency: { transcribe: number; analysis: number };
  };
  transcription: {
    provider: 'sidecar' | 'openai';
    openai?: {
      baseURL?: string;
      apiKey: string;
      model: string;
      responseFormat: 'auto' | 'verbose_json' | 'json' | 'diarized_json';
      wordTimestamps: boolean;
      timeoutMs: number;
      maxRetries: number;
      /** HTTP requests at once per worker process */
      concurrency: number;
      uploadLimitBytes: number;
    };
  };
  /** LLM checks (absent when no endpoint is configured); prices in USD per million tokens, for the cost per call */
  llm?: {
    baseURL?: string;
    apiKey: string;
    model: string;
    timeoutMs: number;
    maxRetries: number;
    redact: boolean;
    /** LLM requests in flight at once per process */
    concurrency: number;
    pricePerMTok?: { input: number; output: number };
  };
  /** rule calibration against reviewers, and bulk re-checks of stored calls with the live packs */
  rules: { precisionFloor: number; recheckBatchSize: number; recheckThreads: number };
  /** metadata checks: permitted calling hours in the customer's local time, dial frequency per number */
  compliance: { callingHours: { start: string; end: string }; maxCallsPerNumberPerDay: number };
  /** dashboards: the zone whose midnight cuts a day for calls of campaigns without their own time zone */
  evaluation: { timeZone: string };
  /** outgoing webhooks: the opt-out endpoint (absent when none is configured) and delivery retries */
  webhooks: {
    optOut?: { url: string; secret: string };
    /** threshold alerts (ALERT_WEBHOOK_URL); absent when none is configured */
    alerts?: { url: string; secret: string };
    attempts: number;
    backoffMs: number;
    timeoutMs: number;
    concurrency: number;
  };
  /** sign-in: the first admin (when configured), session lifetime and login rate limiting */
  auth: {
    bootstrapAdmin?: { email: string; password: string };
    sessionTtlMs: number;
    loginMaxFailures: number;
    loginWindowSeconds: number;
  };
  /** how often the worker deletes recordings past their campaign's retention */
  retention: { sweepIntervalMs: number };
  /** where uploads are spooled, and the age past which a temp file is a killed process's leftover */
  tempFiles: { uploadDir: string; maxAgeMs: number; sweepIntervalMs: number };
  /** the kinds of sensitive data redacted from stored transcripts and the muted recording (campaigns adjust them) */
  redaction: { kinds: RedactionKind[]; backfillIntervalMs: number };
  faultInjection?: { delayAfterStage: Partial<Record<StageName, number>> };
  /** clips (padding each side of the evidence, encoding) and how the API hands out recordings and clips */
  media: { clipPadSeconds: number; clipFormat: 'mp3' | 'opus'; delivery: 'stream' | 'redirect'; urlTtlSeconds: number };
}

export class ConfigValidationError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n  ${issues.join('\n  ')}`);
    this.name = 'ConfigValidationError';
  }
}

/** Validates the environment once and maps it to the typed config; throws naming each bad variable. */
export function loadConfig(source: Record<string, string | undefined> = process.env): AppConfig {
  const parsed = environmentSchema.safeParse(withoutEmptyValues(source));
  if (!parsed.success) {
    throw new ConfigValidationError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.');
        const value = typeof issue.path[0] === 'string' ? source[issue.path[0]] : undefined;
        return `${name}: ${issue.message}${value === undefined ? '' : ` (got "${value}")`}`;
      }),
    );
  }
  const env = parsed.data;
  const dataDir = resolve(env.EARSHOT_DATA_DIR);
  return {
    env: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT ?? (env.NODE_ENV === 'development' ? 'pretty' : 'json'),
    http: {
      host: env.HOST,
      port: env.PORT,
      uploadMaxBytes: env.UPLOAD_MAX_BYTES,
      jsonBodyLimitBytes: env.JSON_BODY_LIMIT_BYTES,
      corsOrigins: env.CORS_ORIGINS ?? [],
      trustProxy: env.TRUST_PROXY === undefined ? undefined : /^\d+$/.test(env.TRUST_PROXY) ? Number(env.TRUST_PROXY) : env.TRUST_PROXY,
      consoleDir: resolve(env.CONSOLE_DIR),
    },
    metrics: { token: env.METRICS_TOKEN, port: env.METRICS_PORT },
    audit: { chainKey: env.AUDIT_CHAIN_KEY, anchorIntervalMs: env.AUDIT_ANCHOR_INTERVAL_MINUTES * 60_000 },
    audioTools: { ffmpegPath: env.FFMPEG_PATH, ffprobePath: env.FFPROBE_PATH, searchPath: env.PATH },
    dataDir,
    database: env.DATABASE_URL
      ? { kind: 'postgres', url: env.DATABASE_URL }
      : { kind: 'pglite', dataDir: resolve(dataDir, 'pglite') },
    redis: { url: env.REDIS_URL, prefix: env.QUEUE_PREFIX },
    storage: env.S3_ENDPOINT
      ? {
          kind: 's3',
          endPoint: env.S3_ENDPOINT,
          port: env.S3_PORT,
          useSSL: env.S3_USE_SSL,
          accessKey: env.S3_ACCESS_KEY ?? '',
          secretKey: env.S3_SECRET_KEY ?? '',
          region: env.S3_REGION,
          bucket: env.S3_BUCKET,
          pathStyle: env.S3_PATH_STYLE,
        }
      : { kind: 'local', root: resolve(env.STORAGE_DIR ?? resolve(dataDir, 'storage')) },
    jobs: {
      attempts: env.JOB_ATTEMPTS,
      backoffMs: env.JOB_BACKOFF_MS,
      lockDurationMs: env.JOB_LOCK_DURATION_MS,
      shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
      stallAfterMs: env.PIPELINE_STALL_MINUTES * 60_000,
      schedulerCheckMs: env.SCHEDULER_CHECK_SECONDS * 1000,
      concurrency: {
        transcribe: env.WORKER_CONCURRENCY_TRANSCRIBE,
        analysis: env.WORKER_CONCURRENCY_ANALYSIS,
      },
    },
    transcription: {
      provider: env.TRANSCRIPTION_PROVIDER,
      openai: env.OPENAI_API_KEY
        ? {
            baseURL: env.OPENAI_BASE_URL,
            apiKey: env.OPENAI_API_KEY,
            model: env.TRANSCRIPTION_MODEL,
            responseFormat: env.TRANSCRIPTION_RESPONSE_FORMAT,
            wordTimestamps: env.TRANSCRIPTION_WORD_TIMESTAMPS,
            timeoutMs: env.TRANSCRIPTION_TIMEOUT_MS,
            maxRetries: env.TRANSCRIPTION_MAX_RETRIES,
            concurrency: env.TRANSCRIPTION_CONCURRENCY,
            uploadLimitBytes: env.TRANSCRIPTION_UPLOAD_LIMIT_BYTES,
          }
        : undefined,
    },
    media: {
      clipPadSeconds: env.CLIP_PAD_SECONDS,
      clipFormat: env.CLIP_FORMAT,
      delivery: env.MEDIA_DELIVERY ?? (env.S3_ENDPOINT ? 'redirect' : 'stream'),
      urlTtlSeconds: env.MEDIA_URL_TTL_SECONDS,
    },
    llm:
      env.LLM_API_KEY || env.LLM_BASE_URL
        ? {
            baseURL: env.LLM_BASE_URL,
            // self-hosted OpenAI-compatible servers often take no key, but the SDK needs one
            apiKey: env.LLM_API_KEY ?? 'none',
            model: env.LLM_MODEL,
            timeoutMs: env.LLM_TIMEOUT_MS,
            maxRetries: env.LLM_MAX_RETRIES,
            redact: env.LLM_REDACT,
            concurrency: env.LLM_CONCURRENCY,
            pricePerMTok:
              env.LLM_PRICE_INPUT_PER_MTOK !== undefined && env.LLM_PRICE_OUTPUT_PER_MTOK !== undefined
                ? { input: env.LLM_PRICE_INPUT_PER_MTOK, output: env.LLM_PRICE_OUTPUT_PER_MTOK }
                : undefined,
          }
        : undefined,
    rules: { precisionFloor: env.CALIBRATION_PRECISION_FLOOR, recheckBatchSize: env.RECHECK_BATCH_SIZE, recheckThreads: env.RECHECK_THREADS },
    compliance: {
      callingHours: { start: env.CALLING_HOURS_START, end: env.CALLING_HOURS_END },
      maxCallsPerNumberPerDay: env.MAX_CALLS_PER_NUMBER_PER_DAY,
    },
    evaluation: { timeZone: env.ORGANISATION_TIME_ZONE },
    webhooks: {
      optOut:
        env.OPTOUT_WEBHOOK_URL && env.OPTOUT_WEBHOOK_SECRET
          ? { url: env.OPTOUT_WEBHOOK_URL, secret: env.OPTOUT_WEBHOOK_SECRET }
          : undefined,
      alerts: env.ALERT_WEBHOOK_URL && env.ALERT_WEBHOOK_SECRET ? { url: env.ALERT_WEBHOOK_URL, secret: env.ALERT_WEBHOOK_SECRET } : undefined,
      attempts: env.WEBHOOK_ATTEMPTS,
      backoffMs: env.WEBHOOK_BACKOFF_MS,
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
      concurrency: env.WORKER_CONCURRENCY_WEBHOOKS,
    },
    auth: {
      bootstrapAdmin: env.ADMIN_EMAIL && env.ADMIN_PASSWORD ? { email: env.ADMIN_EMAIL.toLowerCase(), password: env.ADMIN_PASSWORD } : undefined,
      sessionTtlMs: env.SESSION_TTL_HOURS * 3600_000,
      loginMaxFailures: env.LOGIN_MAX_FAILURES,
      loginWindowSeconds: env.LOGIN_WINDOW_SECONDS,
    },
    retention: { sweepIntervalMs: env.RETENTION_SWEEP_INTERVAL_MINUTES * 60_000 },
    tempFiles: {
      uploadDir: join(tmpdir(), UPLOAD_SPOOL_DIR),
      maxAgeMs: env.TEMP_FILE_MAX_AGE_MINUTES * 60_000,
      sweepIntervalMs: Math.min(10 * 60_000, env.TEMP_FILE_MAX_AGE_MINUTES * 60_000),
    },
    redaction: { kinds: env.REDACTION_KINDS, backfillIntervalMs: env.REDACTION_BACKFILL_INTERVAL_MINUTES * 60_000 },
    faultInjection:
      env.NODE_ENV === 'test' && env.FAULT_DELAY_AFTER_STAGE
        ? {
            delayAfterStage: Object.fromEntries(
              env.FAULT_DELAY_AFTER_STAGE.split(',').map((pair) => {
                const [stage, ms] = pair.split('=');
                return [stage, Number(ms)];
              }),
            ),
          }
        : undefined,
  };
}

function withoutEmptyValues(source: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(source).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  );
}
