/**
 * Transcription throughput and footprint against the local fake OpenAI-compatible endpoint (run in a child
 * process so its upload buffering does not count against the client's RSS):
 *  1. 50 concurrent 3-minute stereo calls (100 requests) — calls/s, event-loop delay;
 *  2. one 2-hour stereo 8 kHz mu-law call, split under an 8 MB upload limit — wall time, peak RSS, event-loop delay.
 * Run: npm run bench:transcribe (or node dist/bench/transcribe.bench.js after npm run build); last line: one JSON object
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { OpenAiTranscriptionProvider } from '../libs/transcription/src/index.js';

const SERVE = process.argv.includes('--serve');

/**
 * A minimal OpenAI-compatible /v1/audio/transcriptions endpoint with a fixed verbose_json answer: this measures Earshot's
 * side (decode, split, upload, parse), not a recogniser. Self-contained because `npm run build` compiles no test/ code.
 */
async function serve(): Promise<void> {
  const segments = Array.from({ length: 20 }, (_, i) => ({ id: i, start: i * 5, end: i * 5 + 4, text: ` segment ${i} hello there how are you` }));
  const answer = JSON.stringify({ task: 'transcribe', language: 'english', duration: 100, text: segments.map((x) => x.text).join(''), segments });
  const server = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (c: Buffer) => (bytes += c.length));
    req.on('end', () => {
      const multipart = (req.headers['content-type'] ?? '').startsWith('multipart/form-data');
      if (req.method !== 'POST' || req.url !== '/v1/audio/transcriptions' || !multipart || bytes === 0) {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":{"message":"bad request"}}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  console.log(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`);
}

function startServer(): Promise<{ baseURL: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--serve'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    createInterface({ input: child.stdout! }).once('line', (baseURL) => resolve({ baseURL: baseURL.trim(), child }));
  });
}

const ms = (ns: number): number => Math.round(ns / 1e4) / 100;

async function bench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tx-bench-'));
  const ff = (...a: string[]): void => void execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...a]);
  const short = join(dir, 'short.wav');
  const long = join(dir, 'long.wav');
  const talk = "volume='if(lt(mod(t,10),4),0.5,0)':eval=frame";
  ff('-f', 'lavfi', '-i', 'sine=f=440:r=8000:d=180', '-f', 'lavfi', '-i', 'sine=f=660:r=8000:d=180', '-filter_complex', `[0]${talk}[l];[1]${talk}[r];[l][r]join=inputs=2:channel_layout=stereo`, '-c:a', 'pcm_mulaw', short);
  ff('-f', 'lavfi', '-i', 'sine=f=440:r=8000:d=7200', '-f', 'lavfi', '-i', 'sine=f=660:r=8000:d=7200', '-filter_complex', `[0]${talk}[l];[1]${talk}[r];[l][r]join=inputs=2:channel_layout=stereo`, '-c:a', 'pcm_mulaw', long);
  const { baseURL, child } = await startServer();
  try {
    const concurrent = new OpenAiTranscriptionProvider({ baseURL, apiKey: 'k', model: 'whisper-1', concurrency: 16 });
    const N = 50;
    const lag1 = monitorEventLoopDelay({ resolution: 10 });
    lag1.enable();
    const t0 = performance.now();
    const results = await Promise.all(Array.from({ length: N }, () => concurrent.transcribe({ audioPath: short, channelLayout: 'stereo', agentChannel: 'left' })));
    const wall1 = (performance.now() - t0) / 1000;
    lag1.disable();
    if (results.some((r) => r.segments.length !== 40)) throw new Error('unexpected segment count');

    const big = new OpenAiTranscriptionProvider({ baseURL, apiKey: 'k', model: 'whisper-1', concurrency: 4, uploadLimitBytes: 8 * 1024 * 1024 });
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const lag2 = monitorEventLoopDelay({ resolution: 10 });
    lag2.enable();
    const t1 = performance.now();
    const t = await big.transcribe({ audioPath: long, channelLayout: 'stereo', agentChannel: 'left' });
    const wall2 = (performance.now() - t1) / 1000;
    lag2.disable();
    clearInterval(sampler);
    const out = {
      bench: 'transcribe',
      concurrentCalls: N,
      callSeconds: 180,
      requests: N * 2,
      wallSeconds: Math.round(wall1 * 100) / 100,
      callsPerSecond: Math.round((N / wall1) * 10) / 10,
      audioHoursPerSecond: Math.round(((N * 180) / 3600 / wall1) * 100) / 100,
      loopDelayMs: { p50: ms(lag1.percentile(50)), p99: ms(lag1.percentile(99)), max: ms(lag1.max) },
      twoHourCall: {
        wallSeconds: Math.round(wall2 * 100) / 100,
        requests: t.usage?.requests,
        fileBytes: 57_600_000 * 2,
        rssBeforeMb: Math.round(rssBefore / 1048576),
        peakRssMb: Math.round(peak / 1048576),
        maxRssMbProcess: Math.round(process.resourceUsage().maxRSS / 1024),
        loopDelayMs: { p50: ms(lag2.percentile(50)), p99: ms(lag2.percentile(99)), max: ms(lag2.max) },
      },
    };
    console.log(JSON.stringify(out));
  } finally {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (SERVE) void serve();
else void bench().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
