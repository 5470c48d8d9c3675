import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { Request } from 'express';
import type { StorageEngine } from 'multer';

/** What every uploaded part carries beside multer's own fields, computed as its bytes arrived. */
export interface UploadedPart extends Express.Multer.File {
  sha256: string;
  /** the first bytes, enough to tell the audio format */
  head: Buffer;
}

const HEAD_BYTES = 64;

/**
 * Multer storage for uploads: a part up to `memoryLimit` bytes stays in memory (`buffer`), a larger one spills to a
 * file in `dir` (`path`), so a 100 MB recording never sits in memory while a typical one costs no temp file, no second
 * read and no delete. A request holds at most `requestMemoryLimit` bytes in memory in all (a batch of many parts
 * spills the rest). Either way the part's sha256 and first bytes are computed as it arrives.
 */
export class SpillingUploadStorage implements StorageEngine {
  private sequence = 0;
  /** bytes each request in progress holds in memory */
  private readonly held = new WeakMap<Request, number>();

  constructor(private readonly options: { dir: string; memoryLimit: number; requestMemoryLimit: number }) {}

  _handleFile(request: Request, file: Express.Multer.File, callback: (error?: unknown, info?: Partial<UploadedPart>) => void): void {
    this.receive(file.stream, request).then(
      (info) => callback(null, info),
      (error: unknown) => callback(error),
    );
  }

  _removeFile(_request: Request, file: Express.Multer.File, callback: (error: Error | null) => void): void {
    discardPart(file).then(
      () => callback(null),
      (error: Error) => callback(error),
    );
  }

  private async receive(stream: NodeJS.ReadableStream, request: Request): Promise<Partial<UploadedPart>> {
    const memoryLimit = Math.min(this.options.memoryLimit, this.options.requestMemoryLimit - (this.held.get(request) ?? 0));
    const hash = createHash('sha256');
    let chunks: Buffer[] = [];
    let size = 0;
    let head = Buffer.alloc(0);
    let sink: WriteStream | null = null;
    let path: string | undefined;
    try {
      for await (const data of stream) {
        const chunk = data as Buffer;
        hash.update(chunk);
        size += chunk.length;
        if (head.length < HEAD_BYTES) head = Buffer.concat([head, chunk.subarray(0, HEAD_BYTES - head.length)]);
        if (!sink && size <= memoryLimit) {
          chunks.push(chunk);
          continue;
        }
        if (!sink) {
          await mkdir(this.options.dir, { recursive: true });
          // unique in this folder without random bytes (a syscall each on some VMs): process id, time, sequence
          path = join(this.options.dir, `upload-${process.pid}-${Date.now()}-${this.sequence++}`);
          sink = createWriteStream(path);
          for (const held of chunks) sink.write(held);
          chunks = [];
        }
        if (!sink.write(chunk)) await once(sink, 'drain');
      }
      if (sink) {
        sink.end();
        await finished(sink);
        return { size, sha256: hash.digest('hex'), head, path };
      }
      this.held.set(request, (this.held.get(request) ?? 0) + size);
      return { size, sha256: hash.digest('hex'), head, buffer: Buffer.concat(chunks, size) };
    } catch (error) {
      sink?.destroy();
      if (path) await unlink(path).catch(() => undefined);
      throw error;
    }
  }
}

/** The part's bytes, from memory or from its spilled file. */
export async function partBytes(file: Express.Multer.File): Promise<Buffer> {
  return file.buffer ?? readFile(file.path);
}

/** Deletes a spilled part's file (a part in memory has none). */
export async function discardPart(file: Express.Multer.File): Promise<void> {
  if (!file.path) return;
  await unlink(file.path).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}
