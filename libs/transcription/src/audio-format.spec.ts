import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sniffAudioFormat, sniffWavCodec } from './audio-format.js';
import { FfmpegAudio } from './ffmpeg-audio.js';

const dir = mkdtempSync(join(tmpdir(), 'sniff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Each file is named .bin so only the bytes can tell the format.
const cases: Array<[string, string[], string, string | null]> = [
  ['wav pcm', ['-c:a', 'pcm_s16le', '-f', 'wav'], 'wav', 'pcm'],
  ['wav mu-law', ['-c:a', 'pcm_mulaw', '-f', 'wav'], 'wav', 'mulaw'],
  ['wav a-law', ['-c:a', 'pcm_alaw', '-f', 'wav'], 'wav', 'alaw'],
  ['mp3', ['-c:a', 'libmp3lame', '-f', 'mp3'], 'mp3', null],
  ['mp3 without id3', ['-c:a', 'libmp3lame', '-id3v2_version', '0', '-write_xing', '0', '-f', 'mp3'], 'mp3', null],
  ['ogg opus', ['-c:a', 'libopus', '-f', 'ogg'], 'ogg', null],
  ['flac', ['-c:a', 'flac', '-f', 'flac'], 'flac', null],
  ['m4a aac', ['-c:a', 'aac', '-f', 'ipod'], 'm4a', null],
];

describe('sniffAudioFormat', () => {
  it.each(cases)('%s is recognised from its bytes and decodes', async (name, args, format, codec) => {
    const path = join(dir, `${name.replace(/\W/g, '-')}.bin`);
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=300:sample_rate=8000:duration=1', '-ar', '8000', ...args, path]);
    const head = readFileSync(path).subarray(0, 64);
    expect(sniffAudioFormat(head)).toBe(format);
    expect(sniffWavCodec(head)).toBe(codec);
    const info = await new FfmpegAudio().probe(path);
    expect(info.format).toBe(format);
    expect(info.durationSeconds).toBeGreaterThan(0.9);
  });

  it.each([
    ['text', Buffer.from('hello world, not audio')],
    ['png', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')],
    ['mp4 video brand unknown', Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypavif')])],
    ['empty', Buffer.alloc(0)],
    ['ff byte noise', Buffer.from([0xff, 0xff, 0xff, 0xff])],
  ])('returns null for %s', (_n, bytes) => {
    expect(sniffAudioFormat(bytes)).toBeNull();
  });
});
