import type { PGlite } from '@electric-sql/pglite';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';

import { ScriptAdapter } from './script-adapter.js';

/**
 * Hands the schema engine an in-process PGlite. PGlite holds a single database, so the shadow database (only
 * `diff` needs one) is a separate instance, or the main one when the caller made it for this purpose alone.
 */
export class PgliteAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres';
  readonly adapterName = 'pglite-prisma-adapter';

  constructor(
    private readonly main: PGlite,
    private readonly shadow?: PGlite,
  ) {}

  connect(): Promise<SqlDriverAdapter> {
    return wrap(this.main);
  }

  connectToShadowDb(): Promise<SqlDriverAdapter> {
    if (!this.shadow) return Promise.reject(new Error('no shadow database was provided'));
    return wrap(this.shadow);
  }
}

async function wrap(db: PGlite): Promise<SqlDriverAdapter> {
  const inner = await new PrismaPGlite(db).connect();
  return new ScriptAdapter(inner, (script) => db.exec(script));
}
