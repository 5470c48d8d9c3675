import type { ObjectStorage } from './object-storage.js';
import { NotFoundInStorageError } from './not-found-in-storage.error.js';

/** The whole object in memory (for zips of clips and recordings), or null when there is no object under key. */
export async function readWholeObject(storage: ObjectStorage, key: string): Promise<Buffer | null> {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of await storage.get(key)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  } catch (error) {
    if (error instanceof NotFoundInStorageError) return null;
    throw error;
  }
}
