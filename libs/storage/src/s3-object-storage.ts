import * as Minio from 'minio';
import { PassThrough, pipeline, type Readable } from 'node:stream';
import { errorCode } from './error-code.js';
import { ExpectSizeTransform } from './expect-size.transform.js';
import { NotFoundInStorageError } from './not-found-in-storage.error.js';
import { assertValidObjectKey, assertValidRange } from './object-key.js';
import type { ObjectStat, ObjectStorage, PutObjectMeta } from './object-storage.js';

export interface S3ObjectStorageOptions {
  endPoint: string;
  /** Defaults to 443 or 80 by useSSL. */
  port?: number;
  useSSL: boolean;
  accessKey: string;
  secretKey: string;
  region: string;
  bucket: string;
  pathStyle: boolean;
  /**
   * Multipart part size in bytes. Bodies without a size are sent as multipart uploads and the client buffers one
   * part in memory, so set it (e.g. 16 MiB) where such uploads happen.
   */
  partSize?: number;
  /** ping gives up after this long (default 5 s). */
  pingTimeoutMs?: number;
}

const NOT_FOUND_CODES = new Set(['NoSuchKey', 'NotFound']);

/** ObjectStorage over an S3-protocol server (MinIO, AWS S3) through the minio client. */
export class S3ObjectStorage implements ObjectStorage {
  private readonly client: Minio.Client;
  private readonly bucket: string;
  private readonly region: string;
  private readonly pingTimeoutMs: number;

  constructor(options: S3ObjectStorageOptions) {
    this.client = new Minio.Client({
      endPoint: options.endPoint,
      port: options.port,
      useSSL: options.useSSL,
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      region: options.region,
      pathStyle: options.pathStyle,
      ...(options.partSize === undefined ? {} : { partSize: options.partSize }),
    });
    this.bucket = options.bucket;
    this.region = options.region;
    this.pingTimeoutMs = options.pingTimeoutMs ?? 5_000;
  }

  async ensureReady(): Promise<void> {
    if (await this.client.bucketExists(this.bucket)) return;
    try {
      await this.client.makeBucket(this.bucket, this.region);
    } catch (error) {
      // Another process created it between our check and our request.
      if (errorCode(error) !== 'BucketAlreadyOwnedByYou') throw error;
    }
  }

  async localPath(key: string): Promise<string | null> {
    assertValidObjectKey(key);
    return null;
  }

  async ping(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`Object storage did not answer within ${this.pingTimeoutMs} ms`)), this.pingTimeoutMs);
    });
    try {
      const exists = await Promise.race([this.client.bucketExists(this.bucket), timeout]);
      if (!exists) throw new Error(`Bucket ${this.bucket} does not exist`);
    } finally {
      clearTimeout(timer);
    }
  }

  async put(key: string, body: Buffer | Readable, meta: PutObjectMeta): Promise<void> {
    assertValidObjectKey(key);
    const metaData = { 'Content-Type': meta.contentType };
    if (Buffer.isBuffer(body)) {
      if (meta.size !== undefined && meta.size !== body.length) {
        throw new Error(`Body has ${body.length} bytes, declared size ${meta.size}`);
      }
      await this.client.putObject(this.bucket, key, body, body.length, metaData);
      return;
    }
    // The client trusts a declared size, so counting makes a short or long body fail instead of being stored.
    const counted = meta.size === undefined ? new PassThrough() : new ExpectSizeTransform(meta.size);
    // pipeline turns a body error or premature close into an error on `counted`, which the client awaits
    // (a body merely destroyed would leave it waiting forever).
    pipeline(body, counted, () => undefined);
    try {
      await this.client.putObject(this.bucket, key, counted, meta.size, metaData);
    } catch (error) {
      counted.destroy();
      throw error;
    }
  }

  async get(key: string): Promise<Readable> {
    assertValidObjectKey(key);
    return this.mapNotFound(key, () => this.client.getObject(this.bucket, key));
  }

  async getRange(key: string, start: number, endInclusive: number): Promise<Readable> {
    assertValidObjectKey(key);
    assertValidRange(start, endInclusive);
    try {
      return await this.mapNotFound(key, () =>
        this.client.getPartialObject(this.bucket, key, start, endInclusive - start + 1),
      );
    } catch (error) {
      if (errorCode(error) === 'InvalidRange') {
        throw new RangeError(`Range starts at ${start}, past the end of ${JSON.stringify(key)}`, { cause: error });
      }
      throw error;
    }
  }

  async stat(key: string): Promise<ObjectStat | null> {
    assertValidObjectKey(key);
    try {
      const info = await this.client.statObject(this.bucket, key);
      const contentType: unknown = info.metaData['content-type'];
      return typeof contentType === 'string' ? { size: info.size, contentType } : { size: info.size };
    } catch (error) {
      if (NOT_FOUND_CODES.has(errorCode(error) ?? '')) return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertValidObjectKey(key);
    await this.client.removeObject(this.bucket, key);
  }

  async presignedGetUrl(key: string, expirySeconds: number): Promise<string | null> {
    assertValidObjectKey(key);
    return this.client.presignedGetObject(this.bucket, key, expirySeconds);
  }

  private async mapNotFound(key: string, request: () => Promise<Readable>): Promise<Readable> {
    try {
      return await request();
    } catch (error) {
      if (NOT_FOUND_CODES.has(errorCode(error) ?? '')) throw new NotFoundInStorageError(key, { cause: error });
      throw error;
    }
  }
}
