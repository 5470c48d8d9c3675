import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';

import { ScriptAdapter } from './script-adapter.js';

/** Hands the schema engine connections to one existing Postgres database; no shadow database. */
export class PostgresAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres';
  readonly adapterName = '@prisma/adapter-pg';
  private readonly opened: ScriptAdapter[] = [];

  constructor(private readonly connectionString: string) {}

  async connect(): Promise<SqlDriverAdapter> {
    const pool = new pg.Pool({ connectionString: this.connectionString, max: 4 });
    const inner = await new PrismaPg(pool).connect();
    const adapter = new ScriptAdapter(inner, (script) => pool.query(script), () => pool.end());
    this.opened.push(adapter);
    return adapter;
  }

  connectToShadowDb(): Promise<SqlDriverAdapter> {
    return Promise.reject(new Error('applying migrations needs no shadow database'));
  }

  /** Closes every pool this factory opened; the engine's own session-level locks go with them. */
  async close(): Promise<void> {
    await Promise.all(this.opened.map((adapter) => adapter.dispose()));
  }
}
