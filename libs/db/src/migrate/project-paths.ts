import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// The module runs from libs/db/src/migrate in source and from dist/libs/db/src/migrate once built, so the
// project root is found by walking up to the folder that holds prisma/schema.prisma.
function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'prisma', 'schema.prisma'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

export function defaultMigrationsDir(): string {
  return path.join(projectRoot(), 'prisma', 'migrations');
}

export function defaultSchemaPath(): string {
  return path.join(projectRoot(), 'prisma', 'schema.prisma');
}
