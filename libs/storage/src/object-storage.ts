import type { Readable } from 'node:stream';

export interface PutObjectMeta {
  contentType: string;
  /** Byte length when known; put rejects (and stores nothing) if the body's length differs. */
  size?: number;
}

export interface ObjectStat {
  size: number;
  contentType?: string;
}

/**
 * Where recordings and clips live. Keys are validated by assertValidObjectKey (InvalidObjectKeyError);
 * get and getRange throw NotFoundInStorageError for a missing object.
 */
export interface ObjectStorage {
  /** Stores the whole body under key, replacing any previous object; readers never see a partial object. */
  put(key: string, body: Buffer | Readable, meta: PutObjectMeta): Promise<void>;
  get(key: string): Promise<Readable>;
  /** Bytes start..endInclusive (an end past the object is clamped); RangeError when start is past the end. */
  getRange(key: string, start: number, endInclusive: number): Promise<Readable>;
  /** null when there is no object under key. */
  stat(key: string): Promise<ObjectStat | null>;
  /** Resolves also when there was no object. */
  delete(key: string): Promise<void>;
  /** A time-limited GET URL, or null where the backend serves no URLs (local folder). */
  presignedGetUrl(key: string, expirySeconds: number): Promise<string | null>;
  /**
   * The object's own file when the backend is a local folder, so ffmpeg can read it without a copy (read only;
   * a later put replaces the file by rename, never under a reader); null where objects are not files (S3).
   */
  localPath(key: string): Promise<string | null>;
  /** Throws when the backend is unreachable or not set up; for health checks. */
  ping(): Promise<void>;
  /** Creates the bucket or folder if missing; idempotent and safe to run from several processes. */
  ensureReady(): Promise<void>;
}
