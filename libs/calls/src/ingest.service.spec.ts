import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CallRecord, type CallRepository, DuplicateAudioError, DuplicateExternalIdError, type NewCall } from '#libs/db';
import { LocalObjectStorage, readWholeObject } from '#libs/storage';
import { IngestService } from './ingest.service.js';
import type { JobQueues } from '#libs/queue';

/** Calls in memory with the database's unique keys; `create` can hold racing requests at a gate. */
class MemoryCalls {
  readonly rows: (NewCall & { id: string })[] = [];
  gate: ((n: number) => Promise<void>) | null = null;
  private arrivals = 0;

  async findBySha256(sha256: string): Promise<CallRecord | null> {
    return (this.rows.find((r) => r.audioSha256 === sha256) as CallRecord | undefined) ?? null;
  }

  async findById(id: string): Promise<CallRecord | null> {
    return (this.rows.find((r) => r.id === id) as CallRecord | undefined) ?? null;
  }

  async create(input: NewCall): Promise<CallRecord> {
    await this.gate?.(this.arrivals++);
    const sameAudio = this.rows.find((r) => r.audioSha256 === input.audioSha256);
    if (sameAudio) throw new DuplicateAudioError(sameAudio.id);
    const sameExternalId = input.externalId ? this.rows.find((r) => r.externalId === input.externalId) : undefined;
    if (sameExternalId && input.externalId) throw new DuplicateExternalIdError(input.externalId, sameExternalId.id);
    const row = { ...input, id: randomUUID() };
    this.rows.push(row);
    return row as unknown as CallRecord;
  }
}

async function listObjects(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('IngestService', () => {
  let dir: string;
  let storage: LocalObjectStorage;
  let calls: MemoryCalls;
  let ingest: IngestService;
  const queues = { enqueue: async () => undefined } as unknown as JobQueues;
  const metadata = (externalId?: string) => ({ agentExternalId: 'a-1', ...(externalId ? { externalId } : {}) }) as NewCall;
  const sidecar = (text: string) => ({ content: Buffer.from(text), contentType: 'text/plain', extension: 'txt' });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'earshot-ingest-spec-'));
    storage = new LocalObjectStorage({ root: join(dir, 'store') });
    await storage.ensureReady();
    calls = new MemoryCalls();
    ingest = new IngestService(calls as unknown as CallRepository, queues, storage);
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function audioFile(name: string, bytes: string): Promise<{ path: string; contentType: string; extension: string }> {
    const path = join(dir, name);
    await writeFile(path, bytes);
    return { path, contentType: 'audio/wav', extension: 'wav' };
  }

  it('keeps the winner of a race of the same audio with its own transcript, and leaves nothing of the loser', async () => {
    // Both requests stored their objects before either created its row; the first to arrive commits first.
    let release!: () => void;
    const bothArrived = new Promise<void>((resolve) => (release = resolve));
    let firstDone!: () => void;
    const firstCommitted = new Promise<void>((resolve) => (firstDone = resolve));
    calls.gate = async (n) => {
      if (n === 0) {
        await bothArrived;
        setImmediate(firstDone);
      } else {
        release();
        await firstCommitted;
      }
    };
    const [a, b] = await Promise.all([
      ingest.ingest({ metadata: metadata(), audio: await audioFile('a.wav', 'same audio'), sidecar: sidecar('transcript A') }),
      ingest.ingest({ metadata: metadata(), audio: await audioFile('b.wav', 'same audio'), sidecar: sidecar('transcript B') }),
    ]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    const winner = calls.rows[0] as NewCall;
    expect(a.call.id).toBe(b.call.id);
    const text = (await readWholeObject(storage, winner.sidecarKey as string))?.toString();
    expect(text).toBe(a.created ? 'transcript A' : 'transcript B');
    expect(await listObjects(join(dir, 'store', 'objects'))).toHaveLength(2);
  });

  it('stores a recording received in memory and dedupes it against the same bytes from a file', async () => {
    const inMemory = await ingest.ingest({ metadata: metadata(), audio: { content: Buffer.from('memory audio'), contentType: 'audio/wav', extension: 'wav' } });
    expect(inMemory.created).toBe(true);
    const stored = calls.rows[0] as NewCall;
    expect((await readWholeObject(storage, stored.audioKey))?.toString()).toBe('memory audio');
    expect(stored.audioBytes).toBe(12);
    const again = await ingest.ingest({ metadata: metadata(), audio: await audioFile('c.wav', 'memory audio') });
    expect(again).toMatchObject({ created: false, call: { id: inMemory.call.id } });
  });

  it('leaves no object behind when the call cannot be created (a duplicate externalId: 409)', async () => {
    await ingest.ingest({ metadata: metadata('ext-1'), audio: await audioFile('a.wav', 'first audio') });
    const before = await listObjects(join(dir, 'store', 'objects'));
    await expect(
      ingest.ingest({ metadata: metadata('ext-1'), audio: await audioFile('b.wav', 'other audio'), sidecar: sidecar('t') }),
    ).rejects.toBeInstanceOf(DuplicateExternalIdError);
    expect(await listObjects(join(dir, 'store', 'objects'))).toEqual(before);
  });
});
