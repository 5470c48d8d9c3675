import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface TempLocation {
  dir: string;
  /** entries of dir to consider (default: all) */
  match?: RegExp;
}

/**
 * Deletes entries (files or folders) of these locations last modified before `olderThan`: what a killed process
 * left. A missing location is skipped. Returns the paths removed.
 */
export async function sweepStaleTempFiles(locations: TempLocation[], olderThan: Date): Promise<string[]> {
  const removed: string[] = [];
  for (const { dir, match } of locations) {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      if (match && !match.test(name)) continue;
      const path = join(dir, name);
      try {
        if ((await stat(path)).mtime >= olderThan) continue;
        await rm(path, { recursive: true, force: true });
        removed.push(path);
      } catch {
        // gone meanwhile, or not ours to delete: the next sweep tries again
      }
    }
  }
  return removed;
}
