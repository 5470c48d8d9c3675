import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, constants, type FileHandle, mkdir, open, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AUDIO_FILE_TYPES } from '#libs/domain';
import { errorCode } from './error-code.js';
import { ExpectSizeTransform } from './expect-size.transform.js';
import { InvalidObjectKeyError } from './invalid-object-key.error.js';
import { NotFoundInStorageError } from './not-found-in-storage.error.js';
import { assertValidObjectKey, assertValidRange } from './object-key.js';
import type { ObjectStat, ObjectStorage, PutObjectMeta } from './object-storage.js';

export interface LocalObjectStorageOptions {
  root: string;
}

interface SidecarMeta {
  contentType?: unknown;
}

const MISSING = new Set(['ENOENT', 'ENOTDIR']);

/**
 * Content types a key's extension implies: an object of its extension's type gets no metadata file, which saves a
 * file, an fsync and a rename a put (recordings, transcripts, waveforms); any other type is written beside it.
 */
const IMPLIED_CONTENT_TYPES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.values(AUDIO_FILE_TYPES).map((type) => [type.extension, type.contentType])),
  json: 'application/json',
};

function impliedContentType(key: string): string | undefined {
  const name = key.slice(key.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? IMPLIED_CONTENT_TYPES[name.slice(dot + 1).toLowerCase()] : undefined;
}

/**
 * Objects in <root>/objects/<key>, their content types in <root>/meta/<key> (JSON) unless the key's extension implies
 * it, writes in progress in <root>/tmp, renamed into place only when complete. As on any file system, a key cannot be
 * both an object and a prefix of another (`a` and `a/b`); such a put fails.
 */
export class LocalObjectStorage implements ObjectStorage {
  private readonly objectsDir: string;
  private readonly metaDir: string;
  private readonly tmpDir: string;
  /** made once (ensureReady or the first put), not before every put */
  private tmpReady = false;

  constructor(options: LocalObjectStorageOptions) {
    const root = resolve(options.root);
    this.objectsDir = join(root, 'objects');
    this.metaDir = join(root, 'meta');
    this.tmpDir = join(root, 'tmp');
  }

  async ensureReady(): Promise<void> {
    for (const dir of [this.objectsDir, this.metaDir, this.tmpDir]) await mkdir(dir, { recursive: true });
    this.tmpReady = true;
  }

  async ping(): Promise<void> {
    for (const dir of [this.objectsDir, this.metaDir, this.tmpDir]) await access(dir, constants.R_OK | constants.W_OK);
  }

  async put(key: string, body: Buffer | Readable, meta: PutObjectMeta): Promise<void> {
    const objectPath = this.pathIn(this.objectsDir, key);
    const metaPath = this.pathIn(this.metaDir, key);
    const id = randomUUID();
    const tmpObject = join(this.tmpDir, `${id}.object`);
    const tmpMeta = join(this.tmpDir, `${id}.meta`);
    try {
      if (!this.tmpReady) {
        await mkdir(this.tmpDir, { recursive: true });
        this.tmpReady = true;
      }
      // flush: the bytes reach the disk before the rename can, so a power cut never exposes a torn file.
      if (Buffer.isBuffer(body)) {
        if (meta.size !== undefined && body.length !== meta.size) throw new Error(`Body has ${body.length} bytes, declared size ${meta.size}`);
        await writeFile(tmpObject, body, { flush: true });
      } else {
        const sink = createWriteStream(tmpObject, { flush: true });
        await (meta.size === undefined ? pipeline(body, sink) : pipeline(body, new ExpectSizeTransform(meta.size), sink));
      }
      const implied = meta.contentType === impliedContentType(key);
      if (!implied) {
        const sidecar: SidecarMeta = { contentType: meta.contentType };
        await writeFile(tmpMeta, JSON.stringify(sidecar), { flush: true });
        await mkdir(dirname(metaPath), { recursive: true });
      }
      await mkdir(dirname(objectPath), { recursive: true });
      // Metadata first: an interruption between the renames can pair old bytes with the new type, never leave new
      // bytes without theirs. An implied type removes what an earlier object under the key had written.
      if (implied) await unlinkIfFile(metaPath);
      else await rename(tmpMeta, metaPath);
      await rename(tmpObject, objectPath);
    } catch (error) {
      if (!Buffer.isBuffer(body) && !body.destroyed) body.destroy();
      // the folder for writes in progress went (removed by hand): the next put makes it again
      if (errorCode(error) === 'ENOENT') this.tmpReady = false;
      await rm(tmpObject, { force: true });
      await rm(tmpMeta, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<Readable> {
    const { handle } = await this.openObject(key);
    return handle.createReadStream();
  }

  async getRange(key: string, start: number, endInclusive: number): Promise<Readable> {
    assertValidRange(start, endInclusive);
    const { handle, size } = await this.openObject(key);
    if (start >= size) {
      await handle.close();
      throw new RangeError(`Range starts at ${start}, object ${JSON.stringify(key)} has ${size} bytes`);
    }
    return handle.createReadStream({ start, end: Math.min(endInclusive, size - 1) });
  }

  async stat(key: string): Promise<ObjectStat | null> {
    const objectPath = this.pathIn(this.objectsDir, key);
    let size: number;
    try {
      const info = await stat(objectPath);
      if (!info.isFile()) return null;
      size = info.size;
    } catch (error) {
      if (MISSING.has(errorCode(error) ?? '')) return null;
      throw error;
    }
    const contentType = (await this.readContentType(key)) ?? impliedContentType(key);
    return contentType === undefined ? { size } : { size, contentType };
  }

  async delete(key: string): Promise<void> {
    await unlinkIfFile(this.pathIn(this.objectsDir, key));
    await unlinkIfFile(this.pathIn(this.metaDir, key));
  }

  async presignedGetUrl(key: string, expirySeconds: number): Promise<string | null> {
    assertValidObjectKey(key);
    if (!Number.isInteger(expirySeconds) || expirySeconds < 1) throw new RangeError(`Invalid expiry ${expirySeconds}`);
    return null;
  }

  async localPath(key: string): Promise<string | null> {
    const { handle } = await this.openObject(key);
    await handle.close();
    return this.pathIn(this.objectsDir, key);
  }

  private pathIn(dir: string, key: string): string {
    const path = join(dir, assertValidObjectKey(key));
    // Validation already rules traversal out; this guards against a future change to it.
    if (!path.startsWith(dir + sep)) throw new InvalidObjectKeyError(key, 'resolves outside the storage root');
    return path;
  }

  private async openObject(key: string): Promise<{ handle: FileHandle; size: number }> {
    const objectPath = this.pathIn(this.objectsDir, key);
    let handle: FileHandle;
    try {
      handle = await open(objectPath, 'r');
    } catch (error) {
      if (MISSING.has(errorCode(error) ?? '')) throw new NotFoundInStorageError(key, { cause: error });
      throw error;
    }
    try {
      const info = await handle.stat();
      if (!info.isFile()) throw new NotFoundInStorageError(key);
      return { handle, size: info.size };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  private async readContentType(key: string): Promise<string | undefined> {
    let text: string;
    try {
      text = await readFile(this.pathIn(this.metaDir, key), 'utf8');
    } catch (error) {
      if (MISSING.has(errorCode(error) ?? '')) return undefined;
      throw error;
    }
    const parsed = JSON.parse(text) as SidecarMeta;
    return typeof parsed.contentType === 'string' ? parsed.contentType : undefined;
  }
}

async function unlinkIfFile(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    const code = errorCode(error) ?? '';
    if (!MISSING.has(code) && code !== 'EISDIR') throw error;
  }
}
