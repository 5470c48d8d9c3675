import type { Provider } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { OBJECT_STORAGE, createObjectStorage } from '#libs/storage';

export const OBJECT_STORAGE_PROVIDER: Provider = {
  provide: OBJECT_STORAGE,
  inject: [APP_CONFIG],
  useFactory: async (config: AppConfig) => {
    const storage = createObjectStorage(config.storage);
    await storage.ensureReady();
    return storage;
  },
};
