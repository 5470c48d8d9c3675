import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { startFakeOpenAi, type FakeOpenAi, type RecordedRequest } from '../../../test/support/fake-openai-server.js';
import { OpenAiTranscriptionProvider, type OpenAiTranscriptionOptions } from './openai-transcription.provider.js';
import { PermanentTranscriptionError } from './permanent-transcription.error.js';
import { TransientTranscriptionError } from './transient-transcription.error.js';

const dir = mkdtempSync(join(tmpdir(), 'tx-spec-'));
const ffmpeg = (...args: string[]): void => void execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
const tone = (f: number, ranges: Array<[number, number]>): string =>
  `(${ranges.map(([a, b]) => `between(t,${a},${b})`).join('+')})*0.5*sin(2*PI*${f}*t)`;

const stereoPath = join(dir, 'stereo.wav');
const monoPath = join(dir, 'mono.wav');
const longPath = join(dir, 'two-hours.wav');
let fake: FakeOpenAi;
const sleeps: number[] = [];

function provider(extra: Partial<OpenAiTranscriptionOptions> = {}): OpenAiTranscriptionProvider {
  return new OpenAiTranscriptionProvider({
    baseURL: fake.baseURL,
    apiKey: 'sk-test',
    model: 'whisper-1',
    maxRetries: 3,
    sleep: async (ms) => void sleeps.push(ms),
    ...extra,
  });
}
const transcriptionCalls = (): RecordedRequest[] => fake.requests.filter((r) => r.path === '/v1/audio/transcriptions');

// Every case spawns ffmpeg/ffprobe on both sides (provider and fake server); on a busy machine that outlasts 5 s.
jest.setTimeout(30_000);

beforeAll(async () => {
  // 8 kHz mu-law stereo: agent (left) speaks 1–3 s and 7–9 s, customer (right) 4–6 s.
  ffmpeg('-f', 'lavfi', '-i', `aevalsrc='${tone(440, [[1, 3], [7, 9]])}|${tone(660, [[4, 6]])}':s=8000:d=10`, '-c:a', 'pcm_mulaw', stereoPath);
  ffmpeg('-f', 'lavfi', '-i', `aevalsrc='${tone(440, [[1, 3]])}':s=8000:d=40`, '-c:a', 'pcm_s16le', monoPath);
  // Two hours of 8 kHz mu-law: a 20 s tone at the start of every minute, silence in between.
  ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=8000:duration=7200', '-af', "volume='if(lt(mod(t,60),20),0.5,0)':eval=frame", '-c:a', 'pcm_mulaw', longPath);
  fake = await startFakeOpenAi({ apiKey: 'sk-test' });
}, 60_000);

afterAll(async () => {
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  fake.requests.length = 0;
  sleeps.length = 0;
});

describe('OpenAiTranscriptionProvider', () => {
  it.each([
    ['left', ['agent', 'customer', 'agent']],
    ['right', ['customer', 'agent', 'customer']],
  ] as const)('stereo with agent on the %s channel: per-channel requests merged by time with exact roles', async (agentChannel, roles) => {
    const t = await provider().transcribe({ audioPath: stereoPath, channelLayout: 'stereo', agentChannel, language: 'en' });
    expect(t.rolesSource).toBe('channel');
    expect(t.rolesConfidence).toBe(1);
    expect(t.segments.map((s) => s.speaker)).toEqual(roles);
    expect(t.segments.map((s) => [Math.round(s.start), Math.round(s.end)])).toEqual([[1, 3], [4, 6], [7, 9]]);
    expect(t.segments[0].words?.length).toBeGreaterThan(0);
    expect(t.usage).toMatchObject({ requests: 2, audioSeconds: 20 });
    const calls = transcriptionCalls();
    expect(calls).toHaveLength(2);
    for (const c of calls) {
      expect(c.headers['authorization']).toBe('Bearer sk-test');
      expect(c.fields).toMatchObject({ model: 'whisper-1', response_format: 'verbose_json', language: 'en' });
      expect(c.fields['timestamp_granularities[]']).toEqual(['word', 'segment']);
      expect(c.files).toEqual([expect.objectContaining({ field: 'file', filename: 'part.flac', contentType: 'audio/flac' })]);
    }
  });

  it('splits a 2-hour mu-law call on silence under a small upload limit and stitches with correct offsets', async () => {
    const limit = 2 * 1024 * 1024;
    const p = provider({ uploadLimitBytes: limit, concurrency: 4 });
    const t = await p.transcribe({ audioPath: longPath, channelLayout: 'mono', agentChannel: 'left' });
    const calls = transcriptionCalls();
    expect(calls.length).toBeGreaterThan(4);
    for (const c of calls) expect(c.files[0].size).toBeLessThanOrEqual(limit);
    // Every tone is heard exactly once, at its absolute place in the call (cuts fall inside silences).
    expect(t.segments).toHaveLength(120);
    t.segments.forEach((s, k) => {
      expect(Math.abs(s.start - 60 * k)).toBeLessThan(0.15);
      expect(Math.abs(s.end - (60 * k + 20))).toBeLessThan(0.15);
    });
    expect(t.rolesSource).toBe('none');
    expect(t.segments.every((s) => s.speaker === 'unknown')).toBe(true);
    expect(t.usage?.requests).toBe(calls.length);
    expect(t.usage?.audioSeconds).toBeGreaterThanOrEqual(7200);
  }, 120_000);

  it('retries 429 (honouring Retry-After) and 500, then succeeds', async () => {
    fake.script(
      { status: 429, headers: { 'retry-after': '7' }, body: { error: { message: 'Rate limit reached', type: 'requests' } } },
      { status: 500, body: { error: { message: 'The server had an error', type: 'server_error' } } },
    );
    const t = await provider({ retryBaseDelayMs: 100 }).transcribe({ audioPath: monoPath, channelLayout: 'mono', agentChannel: 'left' });
    expect(transcriptionCalls().map((r) => r.status)).toEqual([429, 500, 200]);
    expect(sleeps[0]).toBe(7000);
    expect(sleeps[1]).toBeGreaterThanOrEqual(100);
    expect(sleeps[1]).toBeLessThanOrEqual(200);
    expect(t.segments).toHaveLength(1);
  });

  it('times out a slow response and retries it', async () => {
    // The timeout must sit far from both answers: the stalled one never comes, the retried one is instant (no ffmpeg in
    // the fake server, whose real decoding takes longer than a short timeout on a busy machine).
    const quick = await startFakeOpenAi({ apiKey: 'sk-test', probeDuration: false, transcribe: () => [{ start: 1, end: 3, text: 'hello there' }] });
    const retried: string[] = [];
    try {
      quick.script({ delayMs: 120_000 });
      const t = await new OpenAiTranscriptionProvider({
        baseURL: quick.baseURL, apiKey: 'sk-test', model: 'whisper-1', maxRetries: 3, timeoutMs: 2000,
        sleep: async (ms) => void sleeps.push(ms),
        onRetry: ({ error }) => void retried.push(error.message),
      }).transcribe({ audioPath: monoPath, channelLayout: 'mono', agentChannel: 'left' });
      expect(quick.requests).toHaveLength(2);
      expect(quick.requests.map((r) => r.status)).toEqual([undefined, 200]);
      expect(sleeps).toHaveLength(1);
      expect(retried).toEqual([expect.stringMatching(/timed out|unreachable/)]);
      expect(t.segments[0]).toMatchObject({ start: 1, end: 3, text: 'hello there' });
    } finally {
      await quick.stop();
    }
  });

  it('gives up after maxRetries with a retryable error carrying the status', async () => {
    const err = { status: 503, headers: { 'retry-after': '1' }, body: { error: { message: 'overloaded' } } };
    fake.script(err, err, err);
    const p = provider({ maxRetries: 2 }).transcribe({ audioPath: monoPath, channelLayout: 'mono', agentChannel: 'left' });
    await expect(p).rejects.toBeInstanceOf(TransientTranscriptionError);
    await expect(p).rejects.toMatchObject({ status: 503, permanent: false, message: expect.stringContaining('overloaded') });
    expect(transcriptionCalls()).toHaveLength(3);
  });

  it.each([
    ['401 bad key', { apiKey: 'sk-wrong' }, undefined, 'authentication', 'Incorrect API key provided'],
    [
      '400 unsupported file',
      {},
      { status: 400, body: { error: { message: 'Invalid file format. Supported formats: flac, mp3', type: 'invalid_request_error', param: 'file' } } },
      'provider-rejected',
      'Invalid file format. Supported formats: flac, mp3',
    ],
  ] as const)('%s fails at once with a typed permanent error and the provider message', async (_n, opts, script, code, message) => {
    if (script) fake.script(script);
    const p = provider(opts).transcribe({ audioPath: monoPath, channelLayout: 'mono', agentChannel: 'left' });
    await expect(p).rejects.toBeInstanceOf(PermanentTranscriptionError);
    await expect(p).rejects.toMatchObject({ code, permanent: true, message: expect.stringContaining(message) });
    expect(transcriptionCalls()).toHaveLength(1);
  });

  it('reports every request with its time and error class to onRequest', async () => {
    fake.script({ status: 500, body: { error: { message: 'The server had an error', type: 'server_error' } } });
    const reports: { model: string; seconds: number; error: string | null }[] = [];
    await provider({ onRequest: (r) => reports.push(r) }).transcribe({ audioPath: monoPath, channelLayout: 'mono', agentChannel: 'left' });
    expect(reports.map((r) => [r.model, r.error])).toEqual([['whisper-1', 'server_error'], ['whisper-1', null]]);
    expect(reports.every((r) => r.seconds > 0 && r.seconds < 30)).toBe(true);
  });

  it('a channel failing for good stops the other channel retrying (its files are gone with the call)', async () => {
    // regression: the sibling's retry ran after the call had failed and its temp folder was removed, and the upload
    // stream's ENOENT was an unhandled 'error' event that took the worker process down
    fake.script(
      { status: 429, headers: { 'retry-after-ms': '300' }, body: { error: { message: 'Rate limit reached', type: 'requests' } } },
      { status: 401, body: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } } },
    );
    const reports: (string | null)[] = [];
    const p = provider({ sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)), onRequest: (r) => reports.push(r.error) });
    await expect(p.transcribe({ audioPath: stereoPath, channelLayout: 'stereo', agentChannel: 'left' })).rejects.toMatchObject({ code: 'authentication' });
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(reports.sort()).toEqual(['authentication', 'rate_limited']);
    expect(transcriptionCalls().map((r) => r.status).sort()).toEqual([401, 429]);
  });

  it('maps a diarized mono response: the speaker who greets with the company name is the agent', async () => {
    const diarFake = await startFakeOpenAi({
      transcribe: () => [
        { start: 0.5, end: 1.5, text: 'Hello?', speaker: 'A' },
        { start: 1.8, end: 5, text: 'Hi, this is Sam from Acme Bank, thank you for taking my call.', speaker: 'B' },
        { start: 5.2, end: 6, text: 'Sure, go ahead.', speaker: 'A' },
      ],
    });
    try {
      const t = await new OpenAiTranscriptionProvider({ baseURL: diarFake.baseURL, apiKey: 'k', model: 'gpt-4o-transcribe-diarize' }).transcribe({
        audioPath: monoPath,
        channelLayout: 'mono',
        agentChannel: 'left',
        roleHints: { companyName: 'Acme Bank' },
      });
      expect(diarFake.requests[0].fields).toMatchObject({ response_format: 'diarized_json', chunking_strategy: 'auto', model: 'gpt-4o-transcribe-diarize' });
      expect(diarFake.requests[0].fields['timestamp_granularities[]']).toBeUndefined();
      expect(t.rolesSource).toBe('diarization');
      expect(t.rolesConfidence).toBeGreaterThanOrEqual(0.9);
      expect(t.segments.map((s) => s.speaker)).toEqual(['customer', 'agent', 'customer']);
      expect(t.usage?.inputTokens).toBeGreaterThan(0);
    } finally {
      await diarFake.stop();
    }
  });

  it('a split diarized mono call sends later parts voice references of the mapped speakers', async () => {
    const diarFake = await startFakeOpenAi({
      transcribe: (_file, req) =>
        req.fields['known_speaker_names[]']
          ? [{ start: 0, end: 4, text: 'so about the premium', speaker: 'agent' }, { start: 5, end: 8, text: 'too expensive', speaker: 'customer' }]
          : [{ start: 0, end: 3, text: 'Thank you for calling Acme, this is Sam.', speaker: 'A' }, { start: 4, end: 7, text: 'Hi Sam, I have a question.', speaker: 'B' }],
    });
    try {
      const t = await new OpenAiTranscriptionProvider({
        baseURL: diarFake.baseURL, apiKey: 'k', model: 'gpt-4o-transcribe-diarize', uploadCodec: 'wav', uploadLimitBytes: 400_000,
      }).transcribe({ audioPath: monoPath, channelLayout: 'mono', agentChannel: 'left' });
      expect(diarFake.requests.length).toBeGreaterThan(1);
      const later = diarFake.requests[1];
      expect(later.fields['known_speaker_names[]']).toEqual(['agent', 'customer']);
      expect(later.fields['known_speaker_references[]']).toEqual([expect.stringMatching(/^data:audio\/wav;base64,/), expect.stringMatching(/^data:audio\/wav;base64,/)]);
      expect(t.rolesSource).toBe('diarization');
      expect(t.segments.slice(0, 4).map((s) => s.speaker)).toEqual(['agent', 'customer', 'agent', 'customer']);
      expect(t.segments[2].start).toBeGreaterThan(10);
    } finally {
      await diarFake.stop();
    }
  });

  it('a diarized response with no greeting keeps speakers unknown and says roles were not obtained', async () => {
    const diarFake = await startFakeOpenAi({ transcribe: () => [{ start: 0, end: 1, text: 'yes', speaker: 'A' }, { start: 1, end: 2, text: 'no', speaker: 'B' }] });
    try {
      const t = await new OpenAiTranscriptionProvider({ baseURL: diarFake.baseURL, apiKey: 'k', model: 'gpt-4o-transcribe-diarize' }).transcribe({
        audioPath: monoPath, channelLayout: 'mono', agentChannel: 'left',
      });
      expect(t.rolesSource).toBe('none');
      expect(t.segments.map((s) => s.speaker)).toEqual(['unknown', 'unknown']);
    } finally {
      await diarFake.stop();
    }
  });

  it('self-hosted verbose_json-only server: Chinese text round-trips with word timings, speaker unknown', async () => {
    const zhFake = await startFakeOpenAi({ transcribe: () => [{ start: 1, end: 3, text: '您好 这里是 安心 保险' }] });
    try {
      const t = await new OpenAiTranscriptionProvider({ baseURL: zhFake.baseURL, apiKey: 'none', model: 'Systran/faster-whisper-large-v3' }).transcribe({
        audioPath: monoPath, channelLayout: 'mono', agentChannel: 'left', language: 'zh',
      });
      expect(zhFake.requests[0].fields).toMatchObject({ response_format: 'verbose_json', language: 'zh' });
      expect(t).toMatchObject({ provider: 'openai', model: 'Systran/faster-whisper-large-v3', language: 'zh', rolesSource: 'none' });
      expect(t.segments[0]).toMatchObject({ speaker: 'unknown', text: '您好 这里是 安心 保险' });
      expect(t.segments[0].words?.map((w) => w.w)).toEqual(['您好', '这里是', '安心', '保险']);
      expect(JSON.parse(JSON.stringify(t))).toEqual(t);
    } finally {
      await zhFake.stop();
    }
  });

  it.each([
    ['random bytes named .wav', 'junk.wav', Buffer.from('this is not audio at all, just text pretending'), /not a supported audio file/],
    ['a WAV header with a truncated body', 'trunc.wav', Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt ')]), /cannot decode WAV/],
    ['an empty file', 'empty.mp3', Buffer.alloc(0), /empty file/],
  ])('rejects %s with a permanent unsupported-audio error and no request', async (_n, name, bytes, message) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    const p = provider().transcribe({ audioPath: path, channelLayout: 'mono', agentChannel: 'left' });
    await expect(p).rejects.toBeInstanceOf(PermanentTranscriptionError);
    await expect(p).rejects.toMatchObject({ code: 'unsupported-audio', message: expect.stringMatching(message) });
    expect(transcriptionCalls()).toHaveLength(0);
  });

  it('transcribes a mono recording declared stereo as mono (one request, no channel roles)', async () => {
    const transcript = await provider().transcribe({ audioPath: monoPath, channelLayout: 'stereo', agentChannel: 'left' });
    expect(transcript.rolesSource).not.toBe('channel');
    expect(transcriptionCalls()).toHaveLength(1);
    expect(statSync(monoPath).size).toBeGreaterThan(0);
  });
});
