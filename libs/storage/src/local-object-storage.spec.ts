import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { LocalObjectStorage } from './local-object-storage.js';
import { describeObjectStorageContract, TRAVERSAL_KEYS } from './object-storage.contract.js';

async function tempRoot(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'earshot-storage-'));
}

describeObjectStorageContract('local', {
  servesUrls: false,
  acceptsUnknownSize: true,
  async create() {
    const root = await tempRoot();
    const dispose = () => rm(root, { recursive: true, force: true });
    return { storage: new LocalObjectStorage({ root }), breakBackend: dispose, dispose };
  },
});

describe('LocalObjectStorage on disk', () => {
  let parent: string;
  let root: string;
  let storage: LocalObjectStorage;

  beforeAll(async () => {
    parent = await tempRoot();
    root = join(parent, 'store');
    storage = new LocalObjectStorage({ root });
    await storage.ensureReady();
  });
  afterAll(() => rm(parent, { recursive: true, force: true }));

  it('leaves no temp file and nothing under the key when a write fails', async () => {
    const body = Readable.from(
      (async function* () {
        yield Buffer.alloc(4096);
        throw new Error('source broke');
      })(),
    );
    await expect(storage.put('recordings/half.wav', body, { contentType: 'audio/wav' })).rejects.toThrow('source broke');
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
    await expect(stat(join(root, 'objects', 'recordings', 'half.wav'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('writes nothing outside its root for traversal keys', async () => {
    for (const [, key] of TRAVERSAL_KEYS) {
      await storage.put(key, Buffer.from('x'), { contentType: 'text/plain' }).catch(() => undefined);
    }
    expect((await readdir(parent)).sort()).toEqual(['store']);
    expect(await readdir(join(root, 'objects'))).toEqual([]);
  });

  it('keeps a content type its extension does not imply in a sidecar, apart from the object bytes', async () => {
    await storage.put('clips/c.mp3', Buffer.from('mp3'), { contentType: 'audio/x-mpeg-custom' });
    expect((await stat(join(root, 'objects', 'clips', 'c.mp3'))).size).toBe(3);
    expect((await stat(join(root, 'meta', 'clips', 'c.mp3'))).isFile()).toBe(true);
    await storage.delete('clips/c.mp3');
    await expect(stat(join(root, 'meta', 'clips', 'c.mp3'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('writes no metadata file for the type an extension implies, and replaces either way exactly', async () => {
    await storage.put('transcripts/t1.json', Buffer.from('{}'), { contentType: 'application/json' });
    await expect(stat(join(root, 'meta', 'transcripts', 't1.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await storage.stat('transcripts/t1.json')).toEqual({ size: 2, contentType: 'application/json' });
    // another type under the same key is written beside it, and a later implied one removes it again
    await storage.put('transcripts/t1.json', Buffer.from('plain'), { contentType: 'text/plain' });
    expect(await storage.stat('transcripts/t1.json')).toEqual({ size: 5, contentType: 'text/plain' });
    await storage.put('transcripts/t1.json', Buffer.from('{"a":1}'), { contentType: 'application/json' });
    expect(await storage.stat('transcripts/t1.json')).toEqual({ size: 7, contentType: 'application/json' });
    await expect(stat(join(root, 'meta', 'transcripts', 't1.json'))).rejects.toMatchObject({ code: 'ENOENT' });
    // an object stored with a metadata file before keeps its type
    await storage.put('recordings/r1.WAV', Buffer.from('riff'), { contentType: 'audio/x-wav' });
    expect(await storage.stat('recordings/r1.WAV')).toEqual({ size: 4, contentType: 'audio/x-wav' });
  });
});
