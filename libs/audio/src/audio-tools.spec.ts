import { chmod, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AudioToolMissingError, audioToolPath, resolveAudioTools, toolSpawnError, useAudioTools } from './audio-tools.js';
import { probeWithFfprobe } from './probe-audio.js';

const SAMPLE = resolve('samples/audio/en-guaranteed-returns.wav');

describe('resolveAudioTools', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'earshot-tools-'));
    await writeFile(join(dir, 'ffmpeg'), '#!/bin/sh\n');
    await chmod(join(dir, 'ffmpeg'), 0o755);
    // a non-executable ffprobe on the PATH is skipped
    await writeFile(join(dir, 'ffprobe'), '#!/bin/sh\n');
  });
  afterAll(async () => {
    useAudioTools({ ffmpeg: { path: 'ffmpeg', source: 'path' }, ffprobe: { path: 'ffprobe', source: 'path' } });
    await rm(dir, { recursive: true, force: true });
  });

  it('takes a setting first, then the PATH, then the npm package', () => {
    const tools = resolveAudioTools({ ffprobePath: '/opt/ff/ffprobe' }, `/nonexistent:${dir}`);
    expect(tools.ffmpeg).toEqual({ path: join(dir, 'ffmpeg'), source: 'path' });
    expect(tools.ffprobe).toEqual({ path: '/opt/ff/ffprobe', source: 'setting' });
    const shipped = resolveAudioTools({}, dir);
    expect(shipped.ffprobe.source).toBe('npm');
    expect(shipped.ffprobe.path).toMatch(/node_modules\/@ffprobe-installer\/.+\/ffprobe$/);
    expect(resolveAudioTools({}, '').ffmpeg.path).toMatch(/node_modules\/@ffmpeg-installer\/.+\/ffmpeg$/);
  });

  it('the npm binaries read a recording with no PATH at all', async () => {
    useAudioTools(resolveAudioTools({}, ''));
    expect(audioToolPath('ffprobe')).toContain('@ffprobe-installer');
    const probe = await probeWithFfprobe(SAMPLE);
    expect(probe.channels).toBe(2);
    expect(probe.durationSeconds).toBeGreaterThan(5);
  });

  it('a binary that cannot be started is AudioToolMissingError naming the setting, not an unreadable recording', async () => {
    useAudioTools({ ffmpeg: { path: '/nonexistent/ffmpeg', source: 'setting' }, ffprobe: { path: '/nonexistent/ffprobe', source: 'setting' } });
    const error = await probeWithFfprobe(SAMPLE).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AudioToolMissingError);
    expect((error as Error).message).toMatch(/ffprobe cannot be run .*FFPROBE_PATH/);
    expect(toolSpawnError('ffmpeg', 'x', Object.assign(new Error('boom'), { code: 'EPIPE' }))).not.toBeInstanceOf(AudioToolMissingError);
  });

  it('follows a symlinked system binary on the PATH', async () => {
    const linkDir = await mkdtemp(join(tmpdir(), 'earshot-tools-link-'));
    await symlink(join(dir, 'ffmpeg'), join(linkDir, 'ffmpeg'));
    expect(resolveAudioTools({}, linkDir).ffmpeg).toEqual({ path: join(linkDir, 'ffmpeg'), source: 'path' });
    await rm(linkDir, { recursive: true, force: true });
  });
});
