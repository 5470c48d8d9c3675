import { Global, Module } from '@nestjs/common';
import { OBJECT_STORAGE_PROVIDER } from './object-storage.provider.js';

/** The deployment's object storage (S3 or a local folder), made ready once per process. */
@Global()
@Module({ providers: [OBJECT_STORAGE_PROVIDER], exports: [OBJECT_STORAGE_PROVIDER] })
export class StorageModule {}
