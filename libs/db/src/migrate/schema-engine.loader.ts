import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as runtime from '@prisma/schema-engine-wasm/schema_engine_bg';

export type SchemaEngine = runtime.SchemaEngine;

const SCHEMA_ENGINE_GLUE = '@prisma/schema-engine-wasm/schema_engine_bg';

// The project compiles against lib ES2023 without DOM, which leaves the WebAssembly global untyped; these are
// the two calls used here.
declare const WebAssembly: {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: Record<string, object>): Promise<{ exports: Record<string, unknown> }>;
};

let loaded: Promise<typeof runtime.SchemaEngine> | undefined;

// The engine races database calls against 10 s timers it never clears, which would keep node (and jest) alive
// for 10 s after the work is done. Its timers are tracked, and cleared once no engine is running any more:
// only a running engine can be waiting on one.
const engineTimers = new Set<NodeJS.Timeout>();
let runningEngines = 0;

function engineSetTimeout(callback: () => void, ms: number): NodeJS.Timeout {
  const timer = setTimeout(() => {
    engineTimers.delete(timer);
    callback();
  }, ms >>> 0);
  engineTimers.add(timer);
  return timer;
}

function glueImports(): Record<string, unknown> {
  const imports: Record<string, unknown> = { ...runtime };
  for (const name of Object.keys(imports)) {
    if (name.startsWith('__wbg_setTimeout_')) imports[name] = engineSetTimeout;
  }
  return imports;
}

// Instantiating the .wasm by hand (as Prisma's CLI does) instead of importing the package root means no
// --experimental-wasm-modules flag, under node and under jest alike. wasm-bindgen keeps module-level state,
// so the instance is created once per module registry and shared by every engine.
function loadRuntime(): Promise<typeof runtime.SchemaEngine> {
  loaded ??= (async () => {
    const gluePath = createRequire(import.meta.url).resolve(SCHEMA_ENGINE_GLUE);
    const bytes = await readFile(gluePath.replace(/\.js$/, '.wasm'));
    const module = await WebAssembly.compile(bytes);
    const instance = await WebAssembly.instantiate(module, { './schema_engine_bg.js': glueImports() });
    runtime.__wbg_set_wasm(instance.exports);
    const start = instance.exports['__wbindgen_start'];
    if (typeof start === 'function') start();
    return runtime.SchemaEngine;
  })();
  return loaded;
}

/** Runs `work` with a schema engine bound to `factory`, and frees the engine afterwards. */
export async function withSchemaEngine<T>(
  factory: SqlMigrationAwareDriverAdapterFactory,
  options: { log?: (line: string) => void },
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const SchemaEngineClass = await loadRuntime();
  runningEngines += 1;
  try {
    const engine = await SchemaEngineClass.new(
      { datamodels: undefined },
      (line: string) => forwardEngineLog(line, options.log),
      bindMigrationAwareSqlAdapterFactory(factory),
    );
    try {
      return await work(engine);
    } finally {
      engine.free();
    }
  } finally {
    runningEngines -= 1;
    if (runningEngines === 0) {
      for (const timer of engineTimers) clearTimeout(timer);
      engineTimers.clear();
    }
  }
}

// The engine logs one JSON object per line; only warnings and errors are worth a caller's attention.
function forwardEngineLog(line: string, log: ((line: string) => void) | undefined): void {
  if (!log) return;
  try {
    const parsed = JSON.parse(line) as { level?: string; fields?: { message?: string } };
    if (parsed.level === 'WARN' || parsed.level === 'ERROR') {
      log(`schema-engine ${parsed.level.toLowerCase()}: ${parsed.fields?.message ?? line}`);
    }
  } catch {
    log(`schema-engine: ${line}`);
  }
}
