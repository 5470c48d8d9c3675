import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ObjectStorage } from './object-storage.js';

/** ffmpeg needs a seekable file: the object's own file on local storage, else a temp copy for the duration of `work`. */
export async function withLocalCopy<T>(storage: ObjectStorage, key: string, work: (path: string) => Promise<T>): Promise<T> {
  const own = await storage.localPath(key);
  if (own) return work(own);
  const dir = await mkdtemp(join(tmpdir(), 'earshot-audio-'));
  try {
    const path = join(dir, key.split('/').at(-1) ?? 'audio');
    await pipeline(await storage.get(key), createWriteStream(path));
    return await work(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export async function readObject(storage: ObjectStorage, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await storage.get(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
