import { ConfigValidationError, loadConfig } from './app-config.js';

describe('loadConfig', () => {
  it('reads the LLM concurrency per worker, 4 by default', () => {
    expect(loadConfig({ LLM_API_KEY: 'sk' }).llm?.concurrency).toBe(4);
    expect(loadConfig({ LLM_API_KEY: 'sk', LLM_CONCURRENCY: '12' }).llm?.concurrency).toBe(12);
  });

  it('uses embedded defaults when nothing is set', () => {
    const config = loadConfig({ EARSHOT_DATA_DIR: '/tmp/earshot-x' });
    expect(config.database).toEqual({ kind: 'pglite', dataDir: '/tmp/earshot-x/pglite' });
    expect(config.storage).toEqual({ kind: 'local', root: '/tmp/earshot-x/storage' });
    expect(config.redis).toEqual({ url: 'redis://127.0.0.1:6379', prefix: 'earshot' });
    expect(config.jobs.concurrency).toEqual({ transcribe: 4, analysis: 64 });
    expect(config.evaluation).toEqual({ timeZone: 'UTC' });
    expect(loadConfig({ ORGANISATION_TIME_ZONE: 'Asia/Shanghai' }).evaluation.timeZone).toBe('Asia/Shanghai');
  });

  it('switches to postgres and s3 when their variables are set', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://u@db:5432/earshot',
      S3_ENDPOINT: 'minio',
      S3_PORT: '9000',
      S3_ACCESS_KEY: 'a',
      S3_SECRET_KEY: 'b',
    });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgresql://u@db:5432/earshot' });
    expect(config.storage).toMatchObject({ kind: 's3', endPoint: 'minio', port: 9000, bucket: 'earshot' });
  });

  it('reads the first admin (email lower-cased), session lifetime and trusted proxy hops', () => {
    const config = loadConfig({ ADMIN_EMAIL: 'Root@Example.com', ADMIN_PASSWORD: 'long enough password', SESSION_TTL_HOURS: '2', TRUST_PROXY: '1' });
    expect(config.auth).toMatchObject({ bootstrapAdmin: { email: 'root@example.com', password: 'long enough password' }, sessionTtlMs: 7_200_000 });
    expect(config.http.trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback' }).http.trustProxy).toBe('loopback');
    expect(loadConfig({}).auth.bootstrapAdmin).toBeUndefined();
  });

  it('reads the redaction kinds: all by default, none, or a list kept in the canonical order', () => {
    expect(loadConfig({}).redaction.kinds).toEqual(['card', 'national_id', 'email', 'bank_account', 'phone', 'name', 'address', 'date_of_birth']);
    expect(loadConfig({ REDACTION_KINDS: 'none' }).redaction.kinds).toEqual([]);
    expect(loadConfig({ REDACTION_KINDS: ' Phone, card ' }).redaction.kinds).toEqual(['card', 'phone']);
  });

  it('reads the ffmpeg/ffprobe settings with the PATH to search, CORS origins and the JSON body limit', () => {
    const config = loadConfig({ FFMPEG_PATH: '/opt/ff/ffmpeg', PATH: '/usr/local/bin:/usr/bin', CORS_ORIGINS: 'https://qa.example.com, http://localhost:5173' });
    expect(config.audioTools).toEqual({ ffmpegPath: '/opt/ff/ffmpeg', ffprobePath: undefined, searchPath: '/usr/local/bin:/usr/bin' });
    expect(config.http.corsOrigins).toEqual(['https://qa.example.com', 'http://localhost:5173']);
    expect(config.http.jsonBodyLimitBytes).toBe(1024 * 1024);
    expect(loadConfig({}).http.corsOrigins).toEqual([]);
    expect(loadConfig({}).metrics).toEqual({ token: undefined, port: undefined });
    expect(loadConfig({ METRICS_TOKEN: 'a-long-enough-token', METRICS_PORT: '9464' }).metrics).toEqual({ token: 'a-long-enough-token', port: 9464 });
  });

  it.each([
    [{ REDACTION_KINDS: 'card,passport' }, 'REDACTION_KINDS'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ UPLOAD_MAX_BYTES: '-5' }, 'UPLOAD_MAX_BYTES'],
    [{ UPLOAD_MAX_BYTES: String(2 ** 53) }, 'UPLOAD_MAX_BYTES'],
    [{ DATABASE_URL: 'mysql://x@y/z' }, 'DATABASE_URL'],
    [{ S3_ENDPOINT: 'minio' }, 'S3_ACCESS_KEY'],
    [{ TRANSCRIPTION_PROVIDER: 'openai' }, 'OPENAI_API_KEY'],
    [{ QUEUE_PREFIX: 'a:b' }, 'QUEUE_PREFIX'],
    [{ ADMIN_EMAIL: 'root@example.com' }, 'ADMIN_PASSWORD'],
    [{ ADMIN_EMAIL: 'root@example.com', ADMIN_PASSWORD: 'short' }, 'ADMIN_PASSWORD'],
    [{ ADMIN_EMAIL: 'not an email', ADMIN_PASSWORD: 'long enough password' }, 'ADMIN_EMAIL'],
    [{ FFMPEG_PATH: 'bin/ffmpeg' }, 'FFMPEG_PATH'],
    [{ FFPROBE_PATH: 'ffprobe' }, 'FFPROBE_PATH'],
    [{ CORS_ORIGINS: 'https://qa.example.com/console' }, 'CORS_ORIGINS'],
    [{ CORS_ORIGINS: '*' }, 'CORS_ORIGINS'],
    [{ JSON_BODY_LIMIT_BYTES: '10' }, 'JSON_BODY_LIMIT_BYTES'],
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN'],
    [{ METRICS_PORT: '70000' }, 'METRICS_PORT'],
    [{ LLM_API_KEY: 'sk', LLM_CONCURRENCY: '0' }, 'LLM_CONCURRENCY'],
    [{ LLM_API_KEY: 'sk', LLM_CONCURRENCY: 'many' }, 'LLM_CONCURRENCY'],
    [{ ORGANISATION_TIME_ZONE: 'Mars/Olympus' }, 'ORGANISATION_TIME_ZONE'],
  ])('rejects %j naming %s', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigValidationError);
    expect(() => loadConfig(env)).toThrow(new RegExp(`^\\s*${variable}:`, 'm'));
  });

  it('bounds UPLOAD_MAX_BYTES with a message saying the limit, and takes uploads over 2 GiB below it', () => {
    expect(() => loadConfig({ UPLOAD_MAX_BYTES: String(17 * 1024 ** 3) })).toThrow(/UPLOAD_MAX_BYTES: at most 17179869184 \(16 GiB\)/);
    expect(loadConfig({ UPLOAD_MAX_BYTES: String(4 * 1024 ** 3) }).http.uploadMaxBytes).toBe(4 * 1024 ** 3);
  });
});
