import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMultipart, type RecordedRequest } from '../test/support/fake-openai-server.js';
import { main, runImport } from './earshot-cli.js';

type Upload = Pick<RecordedRequest, 'fields' | 'files'>;

describe('earshot import', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-'));
  const uploads: Upload[] = [];
  let failNext = false;
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const up: Upload = { fields: {}, files: [] };
      parseMultipart(Buffer.concat(chunks), req.headers['content-type'] ?? '', up);
      if (req.url !== '/v1/calls' || req.headers.authorization !== 'Bearer t0k') return void res.writeHead(401).end('{"message":"no"}');
      if (failNext) {
        failNext = false;
        return void res.writeHead(503).end('{"message":"busy"}');
      }
      uploads.push(up);
      // The API answers 200 when the same audio was uploaded before (here: pretend a.wav was).
      const dup = up.files[0].filename === 'a.wav';
      res.writeHead(dup ? 200 : 201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `call-${uploads.length}` }));
    });
  });
  let api = '';

  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    writeFileSync(join(dir, 'a.wav'), Buffer.alloc(100, 1));
    writeFileSync(join(dir, 'b.mp3'), Buffer.alloc(200, 2));
    writeFileSync(join(dir, 'c.wav'), Buffer.alloc(100, 3));
    writeFileSync(join(dir, 'b.vtt'), 'WEBVTT\n\n00:00:00.000 --> 00:00:01.000\n<v Agent>你好</v>\n');
    writeFileSync(
      join(dir, 'calls.csv'),
      [
        'file,transcript,externalId,agentExternalId,agentName,customerPhone,direction,startedAt,durationSeconds,channelLayout,language',
        'a.wav,,ext-1,ag-1,Ann,+14155550100,outbound,2025-03-01T09:00:00Z,61,stereo,en',
        'b.mp3,b.vtt,ext-2,ag-2,王芳,+8613800138000,inbound,2025-03-01T10:00:00+08:00,,mono,zh',
        'c.wav,,ext-3,ag-1,Ann,+14155550101,sideways,2025-03-01T09:00:00Z,,mono,en',
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('uploads multipart rows, reports bad rows, and resumes from the state file', async () => {
    failNext = true;
    const first = await runImport({ folder: dir, manifest: 'calls.csv', api, token: 't0k', concurrency: 1, progress: false });
    expect(first).toMatchObject({ total: 3, created: 1, existing: 0, skipped: 0 });
    expect(first.failed.map((f) => [f.file, f.error])).toEqual([
      ['a.wav', expect.stringContaining('HTTP 503')],
      ['c.wav', expect.stringContaining("direction must be inbound or outbound, got 'sideways'")],
    ]);
    const b = uploads[0];
    expect(JSON.parse(b.fields.metadata as string)).toEqual({
      externalId: 'ext-2', agentExternalId: 'ag-2', agentName: '王芳', customerPhone: '+8613800138000', direction: 'inbound',
      startedAt: '2025-03-01T02:00:00.000Z', channelLayout: 'mono', language: 'zh',
    });
    expect(b.files.map((f) => [f.field, f.filename, f.size])).toEqual([['audio', 'b.mp3', 200], ['transcript', 'b.vtt', expect.any(Number)]]);

    const second = await runImport({ folder: dir, manifest: 'calls.csv', api, token: 't0k', progress: false });
    expect(second).toMatchObject({ skipped: 1, created: 0, existing: 1 });
    expect(JSON.parse(uploads[1].fields.metadata as string)).toMatchObject({ durationSeconds: 61, channelLayout: 'stereo' });
    const state = readFileSync(join(dir, '.earshot-import-state.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { file: string; status: number });
    expect(state.map((s) => [s.file, s.status])).toEqual([['b.mp3', 201], ['a.wav', 200]]);
  });

  it('refuses a concurrency that would start no upload worker', async () => {
    const before = uploads.length;
    const errors: string[] = [];
    const original = console.error;
    console.error = (m: string) => void errors.push(m);
    try {
      expect(await main(['import', dir, '--manifest', 'calls.csv', '--api', api, '--concurrency', 'many'])).toBe(2);
    } finally {
      console.error = original;
    }
    expect(errors.join('\n')).toMatch(/--concurrency must be a whole number/);
    expect(uploads.length).toBe(before);
  });
});
