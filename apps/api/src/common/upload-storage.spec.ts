import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Request } from 'express';
import { SpillingUploadStorage, type UploadedPart, partBytes } from './upload-storage.js';

/** Hands a part to the engine as multer does, in chunks of `chunk` bytes. */
function receive(storage: SpillingUploadStorage, bytes: Buffer, chunk = 1000, request = {} as Request): Promise<Partial<UploadedPart>> {
  const chunks = Array.from({ length: Math.ceil(bytes.length / chunk) }, (_, i) => bytes.subarray(i * chunk, (i + 1) * chunk));
  const file = { stream: Readable.from(chunks) } as unknown as Express.Multer.File;
  return new Promise((resolve, reject) => storage._handleFile(request, file, (error, info) => (error ? reject(error) : resolve(info ?? {}))));
}

describe('SpillingUploadStorage', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'upload-storage-spec-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + 7) % 251));
  const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

  it('keeps a part up to the limit in memory, with its sha256 and first bytes, and writes no file', async () => {
    const storage = new SpillingUploadStorage({ dir: join(dir, 'spool'), memoryLimit: 5000, requestMemoryLimit: 50_000 });
    const part = bytes(5000);
    const info = await receive(storage, part);
    expect(info).toMatchObject({ size: 5000, sha256: sha256(part), head: part.subarray(0, 64) });
    expect(info.buffer?.equals(part)).toBe(true);
    expect(info.path).toBeUndefined();
    await expect(readdir(join(dir, 'spool'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('spills a larger part to a file with all its bytes, which discarding deletes', async () => {
    const storage = new SpillingUploadStorage({ dir: join(dir, 'spool'), memoryLimit: 5000, requestMemoryLimit: 50_000 });
    const part = bytes(12_345);
    const info = await receive(storage, part, 4096);
    expect(info).toMatchObject({ size: 12_345, sha256: sha256(part), head: part.subarray(0, 64) });
    expect(info.buffer).toBeUndefined();
    expect((await readFile(info.path as string)).equals(part)).toBe(true);
    expect((await partBytes(info as Express.Multer.File)).equals(part)).toBe(true);
    await new Promise<void>((resolve, reject) => storage._removeFile({} as Request, info as Express.Multer.File, (error) => (error ? reject(error) : resolve())));
    expect(await readdir(join(dir, 'spool'))).toEqual([]);
  });

  it('gives a part shorter than the head all its bytes as the head', async () => {
    const storage = new SpillingUploadStorage({ dir, memoryLimit: 5000, requestMemoryLimit: 50_000 });
    const info = await receive(storage, bytes(10), 3);
    expect(info.head?.equals(bytes(10))).toBe(true);
  });

  it('spills the parts of one request past its memory budget, and counts each request on its own', async () => {
    const storage = new SpillingUploadStorage({ dir: join(dir, 'spool'), memoryLimit: 5000, requestMemoryLimit: 12_000 });
    const batch = {} as Request;
    const parts = [bytes(4000), bytes(4000), bytes(4000), bytes(3000)];
    const infos = [];
    for (const part of parts) infos.push(await receive(storage, part, 1000, batch));
    expect(infos.map((info) => (info.buffer ? 'memory' : 'file'))).toEqual(['memory', 'memory', 'memory', 'file']);
    expect((await partBytes(infos[3] as Express.Multer.File)).equals(parts[3] as Buffer)).toBe(true);
    // another request has its own budget
    expect((await receive(storage, bytes(4000), 1000, {} as Request)).buffer).toBeDefined();
  });
});
