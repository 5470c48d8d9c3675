import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REDIS_URL, REPO_ROOT } from '../support/earshot-harness.js';

const run = promisify(execFile);

describe('npm run demo (embedded PGlite, local storage, API and workers in one process)', () => {
  it('runs the bundled English and Chinese calls through the whole pipeline', async () => {
    // A clean environment: no DATABASE_URL or S3 settings leak in from other test files of this jest worker.
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', REDIS_URL, DEMO_EXIT: '1' };
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

  it('then keeps serving the console, with the admin it printed, until Ctrl-C', async () => {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', REDIS_URL, PORT: '0' };
    const demo = spawn(process.execPath, ['--experimental-wasm-modules', join(REPO_ROOT, 'dist/scripts/demo.js')], { cwd: REPO_ROOT, env });
    let stdout = '';
    demo.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => demo.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 150_000;
      while (!/Ctrl-C stops/.test(stdout) && Date.now() < deadline && demo.exitCode === null) await new Promise((r) => setTimeout(r, 200));
      const url = /Open the console: (\S+)/.exec(stdout)?.[1];
      const email = /sign in as (\S+)/.exec(stdout)?.[1];
      const password = /password {3}(\S+)/.exec(stdout)?.[1];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const page = await fetch(`${url}queue`, { headers: { accept: 'text/html' } });
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      const login = await fetch(`${url}v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password, session: 'cookie' }) });
      expect(login.status).toBe(200);
      demo.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(stdout).toContain('stopping ...');
    } finally {
      demo.kill('SIGKILL');
    }
  }, 180_000);
});
