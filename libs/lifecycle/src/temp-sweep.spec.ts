import { mkdir, mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sweepStaleTempFiles } from './temp-sweep.js';

describe('sweepStaleTempFiles', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'sweep-spec-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('deletes entries older than the cut-off, keeps fresh ones and ones the pattern does not name', async () => {
    const hourAgo = new Date(Date.now() - 3600_000);
    const old = async (path: string, folder = false) => {
      if (folder) {
        await mkdir(path);
        await writeFile(join(path, 'clip.mp3'), 'x');
      } else await writeFile(path, 'x');
      await utimes(path, hourAgo, hourAgo);
    };
    await old(join(root, 'earshot-clip-Ab12Cd'), true);
    await old(join(root, 'someone-elses-file'));
    await writeFile(join(root, 'earshot-audio-Zz99Yy'), 'fresh');
    const spool = join(root, 'spool');
    await mkdir(spool);
    await old(join(spool, '0f3c9a7d2b1e4c5f8a6b7c8d9e0f1a2b'));

    const removed = await sweepStaleTempFiles(
      [{ dir: root, match: /^earshot-[a-z]+-[A-Za-z0-9]{6}$/ }, { dir: spool }, { dir: join(root, 'missing') }],
      new Date(Date.now() - 30 * 60_000),
    );

    expect(removed.sort()).toEqual([join(root, 'earshot-clip-Ab12Cd'), join(spool, '0f3c9a7d2b1e4c5f8a6b7c8d9e0f1a2b')].sort());
    expect(existsSync(join(root, 'earshot-clip-Ab12Cd'))).toBe(false);
    expect(existsSync(join(root, 'someone-elses-file'))).toBe(true);
    expect(existsSync(join(root, 'earshot-audio-Zz99Yy'))).toBe(true);
  });
});
