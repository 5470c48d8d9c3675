import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REDIS_URL, REPO_ROOT } from '../support/earshot-harness.js';

const run = promisify(execFile);

describe('npm run demo (embedded PGlite, local storage, API and workers in one process)', () => {
  it('runs the bundled English and Chinese calls through the whole pipeline', async () => {
    // A clean environment: no DATABASE_URL or S3 settings leak in from other test files of this jest worker.
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', REDIS_URL };
    const { stdout } = await run(process.execPath, ['--experimental-wasm-modules', join(REPO_ROOT, 'dist/scripts/demo.js')], {
      cwd: REPO_ROOT,
      env,
      timeout: 150_000,
    });
    expect(stdout).toContain('database: embedded PGlite');
    expect(stdout).toContain('4 of 4 calls completed');
    expect(stdout).toMatch(/en-guaranteed-returns \[en\] {2}status=completed[\s\S]*AUTO-FAIL[\s\S]*guaranteed_returns/);
    expect(stdout).toMatch(/zh-baoben \[zh\] {2}status=completed[\s\S]*guaranteed_returns\s+"保本"/);
    expect(stdout).toMatch(/en-compliant \[en\] {2}status=completed\n.*\n {4}QA score: \d+\.\d\n {4}findings: none/);
  }, 180_000);
});
