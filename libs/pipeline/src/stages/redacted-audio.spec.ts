import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { inMemoryWav, probeAudio } from '#libs/audio';
import { LocalObjectStorage } from '#libs/storage';
import { redactedAudioStem, storeRedactedAudio } from './redacted-audio.js';

const CALL = '0b7c2a4e-2f7d-4d7e-9a59-1d2f3c4b5a69';
const OTHER_CALL = '5d1e0c3a-8b9f-4a2e-b6c7-d8e9f0a1b2c3';

describe('storeRedactedAudio', () => {
  let dir: string;
  let storage: LocalObjectStorage;
  let audioPath: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'earshot-redacted-spec-'));
    storage = new LocalObjectStorage({ root: join(dir, 'store') });
    await storage.ensureReady();
    audioPath = join(dir, 'call.wav');
    await promisify(execFile)('ffmpeg', ['-nostdin', '-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=8000:duration=3', '-c:a', 'pcm_mulaw', '-y', audioPath]);
  }, 30_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const input = (spans: { start: number; end: number }[], redactedAudioKey: string | null = null) => ({
    callId: CALL,
    audioKey: 'recordings/ab/abc.wav',
    redactedAudioKey,
    audio: { path: audioPath },
    spans,
  });

  it('names the recording itself when there is nothing to mute, and stores nothing', async () => {
    expect(await storeRedactedAudio(storage, input([]))).toBe('recordings/ab/abc.wav');
    expect(await storage.stat(`${redactedAudioStem(CALL, [])}.wav`)).toBeNull();
  });

  it('stores a muted copy in the recording\'s format under a key that names the spans, once', async () => {
    const spans = [{ start: 1, end: 2 }];
    const key = await storeRedactedAudio(storage, input(spans));
    expect(key).toBe(`${redactedAudioStem(CALL, spans)}.wav`);
    expect(key).toMatch(new RegExp(`^redacted/${CALL}-[0-9a-f]{16}\\.wav$`));
    expect((await storage.stat(key))?.contentType).toBe('audio/wav');
    expect(await probeAudio((await storage.localPath(key)) as string)).toMatchObject({ codec: 'pcm_mulaw', channels: 1, sampleRate: 8000 });
    // the same spans again: the stored copy is reused, not written again
    await storage.delete(key);
    await storage.put(key, Buffer.from('marker'), { contentType: 'audio/wav' });
    expect(await storeRedactedAudio(storage, input(spans, key))).toBe(key);
    expect((await storage.stat(key))?.size).toBe(6);
    // other spans: another key
    const other = await storeRedactedAudio(storage, input([{ start: 0.5, end: 1 }], key));
    expect(other).not.toBe(key);
    expect(other).toMatch(/\.wav$/);
    expect((await storage.stat(other))?.size).toBeGreaterThan(1000);
  });

  it('stores the copy muted in memory for a WAV it holds, the same bytes as the file path writes', async () => {
    const spans = [{ start: 0.25, end: 1.5 }];
    const fromFile = await storeRedactedAudio(storage, { ...input(spans), callId: OTHER_CALL });
    const wav = inMemoryWav(await readFile(audioPath));
    if (!wav) throw new Error('the mu-law WAV is not read in memory');
    const fromMemory = await storeRedactedAudio(storage, { ...input(spans), audio: { wav } });
    expect(fromMemory).toBe(`${redactedAudioStem(CALL, spans)}.wav`);
    expect((await storage.stat(fromMemory))?.contentType).toBe('audio/wav');
    const read = async (key: string) => readFile((await storage.localPath(key)) as string);
    expect((await read(fromMemory)).equals(await read(fromFile))).toBe(true);
  });
});
