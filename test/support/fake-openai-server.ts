/**
 * A small OpenAI-compatible HTTP server for tests and benchmarks, on 127.0.0.1. It checks what the SDK sends
 * (auth, multipart fields, model, response format) and answers the way the real API does, including errors.
 * Routes are a table so more endpoints (e.g. /v1/chat/completions) can be added with `route()`.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RecordedFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
  /** the bytes, when the route kept them (transcriptions do, for answering) */
  data?: Buffer;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  /** multipart text fields; repeated fields (e.g. `timestamp_granularities[]`) become arrays */
  fields: Record<string, string | string[]>;
  files: RecordedFile[];
  json?: unknown;
  bodyBytes: number;
  receivedAt: number;
  /** status the server answered with */
  status?: number;
}

/** One scripted answer, used once, in order, before the route's normal behaviour. */
export interface ScriptedResponse {
  /** route key, e.g. 'POST /v1/audio/transcriptions' (default) */
  route?: string;
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** wait this long before answering (a slow response); with no status, the normal answer follows the delay. A client
   *  that disconnects first (its timeout) ends the wait and gets nothing. */
  delayMs?: number;
}

export interface RouteResult {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

export type RouteHandler = (req: RecordedRequest) => Promise<RouteResult> | RouteResult;

export interface TimedText {
  start: number;
  end: number;
  text: string;
  speaker?: string;
}

export interface FakeOpenAiOptions {
  /** required bearer token; requests without it get 401 like the real API */
  apiKey?: string;
  /** how the transcription route turns an uploaded file into timed text; default: non-silent stretches via ffmpeg */
  transcribe?: (file: Buffer, req: RecordedRequest) => Promise<TimedText[]> | TimedText[];
  /** models the transcription route accepts (default: any) */
  models?: string[];
  /** keep uploaded bytes on the recorded request (memory!) */
  keepFiles?: boolean;
  /** run ffprobe on each upload for `duration` (default true); benchmarks turn it off */
  probeDuration?: boolean;
  /** keep a record per request (default true); long benchmarks turn it off */
  record?: boolean;
  /** how the chat route answers; default: the smallest JSON value matching a json_schema response format, else "ok" */
  chat?: (request: ChatRequest, req: RecordedRequest) => Promise<ChatReply> | ChatReply;
  /** models the chat route accepts (default: any) */
  chatModels?: string[];
}

export interface ChatRequest {
  model: string;
  messages: Array<{ role: string; content: string }>;
  response_format?: { type: string; json_schema?: { name: string; strict?: boolean; schema?: Record<string, unknown> } };
}

/** What the model "says": a string, or a value sent as its JSON text; or a refusal. */
export type ChatReply = { content: unknown } | { refusal: string };

export interface FakeOpenAi {
  baseURL: string;
  requests: RecordedRequest[];
  script(...responses: ScriptedResponse[]): void;
  route(key: string, handler: RouteHandler): void;
  stop(): Promise<void>;
}

export const TRANSCRIPTIONS = 'POST /v1/audio/transcriptions';
export const CHAT_COMPLETIONS = 'POST /v1/chat/completions';
const FORMATS = new Set(['json', 'text', 'srt', 'verbose_json', 'vtt', 'diarized_json']);

export function openAiError(status: number, message: string, type = 'invalid_request_error', param: string | null = null, code: string | null = null): RouteResult {
  return { status, body: { error: { message, type, param, code } } };
}

export async function startFakeOpenAi(options: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const requests: RecordedRequest[] = [];
  const scripted: ScriptedResponse[] = [];
  const routes = new Map<string, RouteHandler>();
  routes.set(TRANSCRIPTIONS, (req) => transcriptionRoute(req, options));
  routes.set(CHAT_COMPLETIONS, (req) => chatRoute(req, options));

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      send(res, 500, {}, { error: { message: `fake server bug: ${(err as Error).message}`, type: 'server_error' } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const path = (req.url ?? '/').split('?')[0];
    const key = `${req.method} ${path}`;
    const recorded = record(req, path, body, options.keepFiles === true || key === TRANSCRIPTIONS);
    if (options.record !== false) requests.push(recorded);
    if (options.apiKey && recorded.headers['authorization'] !== `Bearer ${options.apiKey}`) {
      recorded.status = 401;
      const e = openAiError(401, 'Incorrect API key provided: sk-****. You can find your API key at https://platform.openai.com/account/api-keys.', 'invalid_request_error', null, 'invalid_api_key');
      return send(res, e.status, {}, e.body);
    }
    const idx = scripted.findIndex((s) => (s.route ?? TRANSCRIPTIONS) === key);
    const script = idx >= 0 ? scripted.splice(idx, 1)[0] : undefined;
    if (script?.delayMs) await delayUnlessClosed(res, script.delayMs);
    // A client that timed out and went away gets no answer, and no work is done for it (a real server stops too).
    if (res.destroyed || res.closed) return;
    if (script?.status !== undefined) {
      recorded.status = script.status;
      return send(res, script.status, script.headers ?? {}, script.body ?? {});
    }
    const handler = routes.get(key);
    const result = handler ? await handler(recorded) : openAiError(404, `Invalid URL (${key})`);
    if (!options.keepFiles) for (const f of recorded.files) delete f.data;
    recorded.status = result.status;
    send(res, result.status, result.headers ?? {}, result.body);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (...r) => void scripted.push(...r),
    route: (key, handler) => void routes.set(key, handler),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Waits `ms`, or until the client closes the connection, whichever comes first (no timer outlives the request). */
function delayUnlessClosed(res: ServerResponse, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      res.off('close', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.on('close', done);
  });
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  if (res.destroyed) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json',
    'x-request-id': `req_fake_${Math.random().toString(36).slice(2, 10)}`,
    ...headers,
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function record(req: IncomingMessage, path: string, body: Buffer, keep: boolean): RecordedRequest {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  const rec: RecordedRequest = { method: req.method ?? 'GET', path, headers, fields: {}, files: [], bodyBytes: body.length, receivedAt: Date.now() };
  const ct = headers['content-type'] ?? '';
  if (ct.startsWith('multipart/form-data')) parseMultipart(body, ct, rec, keep);
  else if (ct.includes('json') && body.length) {
    try {
      rec.json = JSON.parse(body.toString('utf8'));
    } catch {
      rec.json = undefined;
    }
  }
  return rec;
}

/** Minimal multipart/form-data parser (RFC 7578) — enough to check what the SDK sends. */
export function parseMultipart(body: Buffer, contentType: string, into: Pick<RecordedRequest, 'fields' | 'files'>, keep = true): void {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!m) return;
  const delim = Buffer.from(`--${m[1] ?? m[2]}`);
  let pos = body.indexOf(delim);
  while (pos >= 0) {
    const next = body.indexOf(delim, pos + delim.length);
    if (next < 0) break;
    const part = body.subarray(pos + delim.length + 2, next - 2); // skip CRLF after delimiter and before the next
    pos = next;
    const sep = part.indexOf('\r\n\r\n');
    if (sep < 0) continue;
    const head = part.subarray(0, sep).toString('utf8');
    const data = part.subarray(sep + 4);
    const name = /name="([^"]*)"/i.exec(head)?.[1] ?? '';
    const filename = /filename="([^"]*)"/i.exec(head)?.[1];
    if (filename !== undefined) {
      const type = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? 'application/octet-stream';
      into.files.push({ field: name, filename, contentType: type.trim(), size: data.length, ...(keep ? { data: Buffer.from(data) } : {}) });
    } else {
      const value = data.toString('utf8');
      const prev = into.fields[name];
      if (prev === undefined) into.fields[name] = name.endsWith('[]') ? [value] : value;
      else into.fields[name] = Array.isArray(prev) ? [...prev, value] : [prev, value];
    }
  }
}

const field = (req: RecordedRequest, name: string): string | undefined => {
  const v = req.fields[name];
  return Array.isArray(v) ? v[0] : v;
};

async function transcriptionRoute(req: RecordedRequest, options: FakeOpenAiOptions): Promise<RouteResult> {
  const file = req.files.find((f) => f.field === 'file');
  if (!file || !file.data) return openAiError(400, "you must provide a 'file' field", 'invalid_request_error', 'file');
  const model = field(req, 'model');
  if (!model) return openAiError(400, "you must provide a model parameter", 'invalid_request_error', 'model');
  if (options.models && !options.models.includes(model)) return openAiError(400, `Invalid model '${model}'`, 'invalid_request_error', 'model');
  const format = field(req, 'response_format') ?? 'json';
  if (!FORMATS.has(format)) return openAiError(400, `Invalid value for 'response_format': '${format}'`, 'invalid_request_error', 'response_format');
  const diarize = /diariz/.test(model);
  if (format === 'diarized_json' && !diarize) {
    return openAiError(400, `response_format 'diarized_json' is not compatible with model '${model}'`, 'invalid_request_error', 'response_format');
  }
  if (req.fields['timestamp_granularities[]'] && format !== 'verbose_json') {
    return openAiError(400, "timestamp_granularities requires response_format 'verbose_json'", 'invalid_request_error', 'timestamp_granularities');
  }
  if (!/\.(flac|mp3|mp4|mpeg|mpga|m4a|ogg|wav|webm)$/i.test(file.filename)) {
    return openAiError(400, `Invalid file format. Supported formats: ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm']`, 'invalid_request_error', 'file');
  }
  const timed = await (options.transcribe ?? nonSilentStretches)(file.data, req);
  const lastEnd = timed.length ? timed[timed.length - 1].end : 0;
  const duration = options.probeDuration === false ? lastEnd : await probeDuration(file.data).catch(() => lastEnd);
  if (diarize && duration > 30 && !field(req, 'chunking_strategy')) {
    return openAiError(400, 'chunking_strategy is required for diarization models when input is longer than 30 seconds', 'invalid_request_error', 'chunking_strategy');
  }
  const text = timed.map((t) => t.text).join(' ');
  const language = field(req, 'language');
  switch (format) {
    case 'verbose_json': {
      const words = req.fields['timestamp_granularities[]']?.includes('word')
        ? timed.flatMap((t) => splitWords(t))
        : undefined;
      return {
        status: 200,
        body: {
          task: 'transcribe',
          language: language === 'zh' ? 'chinese' : 'english',
          duration,
          text,
          segments: timed.map((t, id) => ({ id, seek: 0, start: t.start, end: t.end, text: ` ${t.text}`, tokens: [], temperature: 0, avg_logprob: -0.2, compression_ratio: 1.2, no_speech_prob: 0.01 })),
          ...(words ? { words } : {}),
          usage: { type: 'duration', seconds: Math.ceil(duration) },
        },
      };
    }
    case 'diarized_json':
      return {
        status: 200,
        body: {
          task: 'transcribe',
          duration,
          text,
          segments: timed.map((t, i) => ({ type: 'transcript.text.segment', id: `seg_${i}`, start: t.start, end: t.end, text: t.text, speaker: t.speaker ?? 'A' })),
          usage: { type: 'tokens', input_tokens: Math.ceil(duration * 10), output_tokens: text.length, total_tokens: Math.ceil(duration * 10) + text.length, input_token_details: { audio_tokens: Math.ceil(duration * 10), text_tokens: 0 } },
        },
      };
    case 'json':
      return { status: 200, body: { text, usage: { type: 'tokens', input_tokens: Math.ceil(duration * 10), output_tokens: text.length, total_tokens: Math.ceil(duration * 10) + text.length } } };
    default:
      return { status: 200, body: text };
  }
}

function splitWords(t: TimedText): Array<{ word: string; start: number; end: number }> {
  const words = t.text.split(/\s+/).filter(Boolean);
  const step = (t.end - t.start) / Math.max(words.length, 1);
  return words.map((word, i) => ({ word, start: round3(t.start + i * step), end: round3(t.start + (i + 1) * step) }));
}

const round3 = (n: number): number => Math.round(n * 1000) / 1000;

async function withTemp<T>(data: Buffer, fn: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'fake-openai-'));
  try {
    const path = join(dir, 'upload');
    await writeFile(path, data);
    return await fn(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function run(cmd: string, args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, out, err }));
  });
}

async function probeDuration(data: Buffer): Promise<number> {
  return withTemp(data, async (path) => {
    const r = await run('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'default=nw=1:nk=1', path]);
    const d = Number(r.out.trim());
    if (r.code !== 0 || !Number.isFinite(d)) throw new Error(`ffprobe failed: ${r.err}`);
    return round3(d);
  });
}

/** Default "recogniser": each non-silent stretch of the upload becomes a segment saying where it was heard. */
export async function nonSilentStretches(data: Buffer): Promise<TimedText[]> {
  return withTemp(data, async (path) => {
    const r = await run('ffmpeg', ['-hide_banner', '-nostdin', '-nostats', '-i', path, '-af', 'silencedetect=n=-35dB:d=0.3', '-f', 'null', '-']);
    if (r.code !== 0) throw new Error(`ffmpeg failed on upload: ${r.err.slice(-300)}`);
    const durM = /Duration: (\d+):(\d+):([\d.]+)/.exec(r.err);
    const timeM = [...r.err.matchAll(/time=(\d+):(\d+):([\d.]+)/g)].pop();
    const hms = (m: RegExpExecArray | RegExpMatchArray | null | undefined): number => (m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : 0);
    const duration = hms(timeM) || hms(durM);
    const out: TimedText[] = [];
    let cursor = 0;
    for (const m of r.err.matchAll(/silence_(start|end): (-?[\d.]+)/g)) {
      const t = Math.max(0, Number(m[2]));
      if (m[1] === 'start') {
        if (t - cursor > 0.05) out.push({ start: round3(cursor), end: round3(t), text: `sound at ${cursor.toFixed(1)}` });
      } else cursor = t;
    }
    const lastStart = [...r.err.matchAll(/silence_start: (-?[\d.]+)/g)].length > [...r.err.matchAll(/silence_end: /g)].length;
    if (!lastStart && duration - cursor > 0.05) out.push({ start: round3(cursor), end: round3(duration), text: `sound at ${cursor.toFixed(1)}` });
    return out;
  });
}

/** Checks a strict json_schema the way the real API does: every object closed and every property required. */
function strictSchemaProblem(schema: unknown, path: string): string | null {
  if (typeof schema !== 'object' || schema === null) return null;
  const o = schema as Record<string, unknown>;
  if (o['type'] === 'object') {
    const props = (o['properties'] ?? {}) as Record<string, unknown>;
    if (o['additionalProperties'] !== false) return `In context=${path}, 'additionalProperties' is required to be supplied and to be false.`;
    const required = Array.isArray(o['required']) ? (o['required'] as string[]) : [];
    const missing = Object.keys(props).find((k) => !required.includes(k));
    if (missing) return `In context=${path}, 'required' is required to be supplied and to be an array including every key in properties. Missing '${missing}'.`;
    for (const [k, v] of Object.entries(props)) {
      const problem = strictSchemaProblem(v, `${path}.${k}`);
      if (problem) return problem;
    }
  }
  if (o['type'] === 'array') return strictSchemaProblem(o['items'], `${path}[]`);
  return null;
}

/** The smallest value a schema accepts (first enum value, empty strings and arrays, zeros). */
function minimalInstance(schema: unknown): unknown {
  const o = (typeof schema === 'object' && schema !== null ? schema : {}) as Record<string, unknown>;
  if (Array.isArray(o['enum'])) return o['enum'][0];
  switch (o['type']) {
    case 'object': {
      const props = (o['properties'] ?? {}) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, minimalInstance(v)]));
    }
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      return '';
  }
}

const approxTokens = (text: string): number => Math.max(1, Math.ceil(text.length / 4));

async function chatRoute(req: RecordedRequest, options: FakeOpenAiOptions): Promise<RouteResult> {
  const body = req.json as Partial<ChatRequest> | undefined;
  if (!body || typeof body !== 'object') return openAiError(400, 'We could not parse the JSON body of your request.', 'invalid_request_error');
  if (typeof body.model !== 'string' || !body.model) return openAiError(400, 'you must provide a model parameter', 'invalid_request_error', 'model');
  if (options.chatModels && !options.chatModels.includes(body.model)) {
    return openAiError(404, `The model \`${body.model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model', 'model_not_found');
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return openAiError(400, "Invalid 'messages': empty array. Expected an array with minimum length 1.", 'invalid_request_error', 'messages');
  }
  const format = body.response_format;
  if (format && !['text', 'json_object', 'json_schema'].includes(format.type)) {
    return openAiError(400, `Invalid value: '${format.type}'. Supported values are: 'text', 'json_object', and 'json_schema'.`, 'invalid_request_error', 'response_format.type');
  }
  if (format?.type === 'json_schema') {
    const js = format.json_schema;
    if (!js || typeof js.name !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(js.name)) {
      return openAiError(400, "Missing required parameter: 'response_format.json_schema.name'.", 'invalid_request_error', 'response_format.json_schema.name');
    }
    if (js.strict) {
      const problem = strictSchemaProblem(js.schema, js.name);
      if (problem) return openAiError(400, `Invalid schema for response_format '${js.name}': ${problem}`, 'invalid_request_error', 'response_format');
    }
  }
  const request = body as ChatRequest;
  const reply: ChatReply = options.chat
    ? await options.chat(request, req)
    : { content: format?.type === 'json_schema' ? minimalInstance(format.json_schema?.schema) : 'ok' };
  const content = 'content' in reply ? (typeof reply.content === 'string' ? reply.content : JSON.stringify(reply.content)) : null;
  const promptTokens = approxTokens(request.messages.map((m) => (typeof m.content === 'string' ? m.content : JSON.stringify(m.content))).join('\n'));
  const completionTokens = content === null ? 1 : approxTokens(content);
  return {
    status: 200,
    body: {
      id: `chatcmpl-fake${Math.random().toString(36).slice(2, 10)}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: request.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content, refusal: 'refusal' in reply ? reply.refusal : null, annotations: [] },
          logprobs: null,
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens },
      system_fingerprint: 'fp_fake',
    },
  };
}
