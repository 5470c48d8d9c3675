import { LocalObjectStorage, type LocalObjectStorageOptions } from './local-object-storage.js';
import type { ObjectStorage } from './object-storage.js';
import { S3ObjectStorage, type S3ObjectStorageOptions } from './s3-object-storage.js';

export type ObjectStorageOptions =
  | ({ kind: 's3' } & S3ObjectStorageOptions)
  | ({ kind: 'local' } & LocalObjectStorageOptions);

/** Builds the backend the options name; call ensureReady() before first use. */
export function createObjectStorage(options: ObjectStorageOptions): ObjectStorage {
  switch (options.kind) {
    case 's3': {
      const { kind: _kind, ...s3 } = options;
      return new S3ObjectStorage(s3);
    }
    case 'local':
      return new LocalObjectStorage({ root: options.root });
  }
}
