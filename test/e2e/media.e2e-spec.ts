import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import {
  type CallView,
  REDIS_URL,
  type SampleCall,
  type TestEnvironment,
  createTestEnvironment,
  loadSample,
  startApi,
  uploadCall,
  uploadForm,
  waitForCall,
  authFetch,
} from '../support/earshot-harness.js';

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await authFetch(url, { headers, redirect: 'manual' });
  return { response, body: Buffer.from(await response.arrayBuffer()) };
}

function isMp3(bytes: Buffer): boolean {
  return bytes.subarray(0, 3).toString('latin1') === 'ID3' || (bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0);
}

/** The same call spoken later than its recording lasts: every finding's evidence lies past the end of the audio. */
function shiftedTranscript(sample: SampleCall, seconds: number): Buffer {
  const transcript = JSON.parse(sample.transcript.toString('utf8')) as { segments: { start: number; end: number }[] };
  for (const segment of transcript.segments) {
    segment.start += seconds;
    segment.end += seconds;
  }
  return Buffer.from(JSON.stringify(transcript));
}

async function deleteKeys(pattern: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  try {
    const keys = await redis.keys(pattern);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

describe('media: recordings and finding clips (Range streaming and presigned redirects against s3rver)', () => {
  let environment: TestEnvironment;
  let streaming: { app: INestApplication; baseUrl: string };
  let redirecting: { app: INestApplication; baseUrl: string };
  let sample: SampleCall;
  let call: CallView;
  let clipFindingId: string;

  beforeAll(async () => {
    // the sample's agent introduces herself by name: with names kept in the clear nothing of it is muted, so the
    // recording served is the one uploaded
    environment = await createTestEnvironment({ MEDIA_DELIVERY: 'stream', REDACTION_KINDS: 'card,national_id,email,bank_account,phone' });
    streaming = await startApi(environment.env);
    // a second API on the same database and bucket that hands out presigned URLs instead of bytes
    redirecting = await startApi({ ...environment.env, MEDIA_DELIVERY: 'redirect' }, { withWorker: false });
    sample = await loadSample('en-guaranteed-returns');
    const upload = await uploadCall(streaming.baseUrl, uploadForm({ audio: sample.audio, metadata: sample.metadata, transcript: sample.transcript }));
    expect(upload.status).toBe(201);
    call = await waitForCall(streaming.baseUrl, upload.body.id as string, 60_000);
    const clipped = call.findings.find((finding) => finding.hasClip);
    if (!clipped) throw new Error(`no finding with a clip on ${call.id}: ${JSON.stringify(call.findings)}`);
    clipFindingId = clipped.id;
  }, 120_000);

  afterAll(async () => {
    await redirecting?.app.close();
    await streaming?.app.close();
    await environment?.dispose();
    delete process.env.MEDIA_DELIVERY;
  });

  it('completes the sample with a clip for every timed finding', () => {
    expect(call.status).toBe('completed');
    expect(call.findings.map((finding) => finding.family)).toContain('guaranteed_returns');
    expect(call.findings.filter((f) => f.evidence.startSeconds !== undefined).every((f) => f.hasClip)).toBe(true);
  });

  it('streams a whole clip, then byte ranges of it (206, Content-Range) and 416 past its end', async () => {
    const whole = await get(`${streaming.baseUrl}/v1/findings/${clipFindingId}/clip`);
    expect(whole.response.status).toBe(200);
    expect(whole.response.headers.get('accept-ranges')).toBe('bytes');
    expect(whole.response.headers.get('content-type')).toBe('audio/mpeg');
    expect(Number(whole.response.headers.get('content-length'))).toBe(whole.body.length);
    expect(isMp3(whole.body)).toBe(true);
    // 3 s of padding each side of a few seconds of evidence at 24 kbit/s: tens of kilobytes, not the whole call
    expect(whole.body.length).toBeGreaterThan(10_000);
    expect(whole.body.length).toBeLessThan(sample.audio.length / 4);
    const size = whole.body.length;

    const first = await get(`${streaming.baseUrl}/v1/findings/${clipFindingId}/clip`, { Range: 'bytes=0-99' });
    expect(first.response.status).toBe(206);
    expect(first.response.headers.get('content-range')).toBe(`bytes 0-99/${size}`);
    expect(first.response.headers.get('accept-ranges')).toBe('bytes');
    expect(first.body.equals(whole.body.subarray(0, 100))).toBe(true);

    const middle = await get(`${streaming.baseUrl}/v1/findings/${clipFindingId}/clip`, { Range: 'bytes=1000-4999' });
    expect(middle.response.status).toBe(206);
    expect(middle.response.headers.get('content-range')).toBe(`bytes 1000-4999/${size}`);
    expect(middle.body.equals(whole.body.subarray(1000, 5000))).toBe(true);

    const tail = await get(`${streaming.baseUrl}/v1/findings/${clipFindingId}/clip`, { Range: 'bytes=-10' });
    expect(tail.response.status).toBe(206);
    expect(tail.body.equals(whole.body.subarray(size - 10))).toBe(true);

    const past = await get(`${streaming.baseUrl}/v1/findings/${clipFindingId}/clip`, { Range: `bytes=${size}-` });
    expect(past.response.status).toBe(416);
    expect(past.response.headers.get('content-range')).toBe(`bytes */${size}`);
  });

  it('streams the whole recording as uploaded, and a range of it', async () => {
    const whole = await get(`${streaming.baseUrl}/v1/calls/${call.id}/audio`);
    expect(whole.response.status).toBe(200);
    expect(whole.response.headers.get('content-type')).toBe('audio/wav');
    expect(whole.body.equals(sample.audio)).toBe(true);

    const header = await get(`${streaming.baseUrl}/v1/calls/${call.id}/audio`, { Range: 'bytes=0-43' });
    expect(header.response.status).toBe(206);
    expect(header.response.headers.get('content-range')).toBe(`bytes 0-43/${sample.audio.length}`);
    expect(header.body.equals(sample.audio.subarray(0, 44))).toBe(true);
  });

  it('redirects to short-lived presigned URLs that download the objects from s3rver, Range included', async () => {
    const audio = await get(`${redirecting.baseUrl}/v1/calls/${call.id}/audio`);
    expect(audio.response.status).toBe(302);
    const audioUrl = audio.response.headers.get('location') ?? '';
    expect(audioUrl).toContain(`127.0.0.1:${environment.s3.clientOptions.port}`);
    expect(new URL(audioUrl).searchParams.get('X-Amz-Expires')).toBe('300');
    const downloaded = await get(audioUrl);
    expect(downloaded.response.status).toBe(200);
    expect(downloaded.body.equals(sample.audio)).toBe(true);

    const streamedClip = (await get(`${streaming.baseUrl}/v1/findings/${clipFindingId}/clip`)).body;
    const clip = await get(`${redirecting.baseUrl}/v1/findings/${clipFindingId}/clip`);
    expect(clip.response.status).toBe(302);
    const clipUrl = clip.response.headers.get('location') ?? '';
    const clipBytes = await get(clipUrl);
    expect(clipBytes.body.equals(streamedClip)).toBe(true);
    const ranged = await get(clipUrl, { Range: 'bytes=0-99' });
    expect(ranged.response.status).toBe(206);
    expect(ranged.body.equals(streamedClip.subarray(0, 100))).toBe(true);
  });

  it('streams from local-folder storage too (the embedded default): 206 and 416', async () => {
    const storageDir = await mkdtemp(join(tmpdir(), 'earshot-media-local-'));
    // own queue prefix: no worker of this file (whose storage is s3rver) picks the upload up
    const local = await startApi(
      { ...environment.env, S3_ENDPOINT: '', MEDIA_DELIVERY: '', STORAGE_DIR: storageDir, QUEUE_PREFIX: `${environment.queuePrefix}-local` },
      { withWorker: false },
    );
    try {
      const audio = Buffer.concat([sample.audio, randomBytes(16).map((b) => b & 0x01)]);
      const upload = await uploadCall(local.baseUrl, uploadForm({ audio, metadata: { ...sample.metadata, externalId: 'media-local' }, transcript: sample.transcript }));
      expect(upload.status).toBe(201);
      // no worker here, so no muted copy yet: the default (redacted) view is not ready; the admin may ask for the original
      const notReady = await get(`${local.baseUrl}/v1/calls/${upload.body.id as string}/audio`);
      expect(notReady.response.status).toBe(409);
      const url = `${local.baseUrl}/v1/calls/${upload.body.id as string}/audio?unredacted=true`;
      const ranged = await get(url, { Range: 'bytes=100-1099' });
      expect(ranged.response.status).toBe(206);
      expect(ranged.response.headers.get('content-range')).toBe(`bytes 100-1099/${audio.length}`);
      expect(ranged.body.equals(audio.subarray(100, 1100))).toBe(true);
      expect((await get(url)).body.equals(audio)).toBe(true);
      const past = await get(url, { Range: `bytes=${audio.length + 5}-` });
      expect(past.response.status).toBe(416);
      expect(past.response.headers.get('content-range')).toBe(`bytes */${audio.length}`);
    } finally {
      await local.app.close();
      await rm(storageDir, { recursive: true, force: true });
      await deleteKeys(`${environment.queuePrefix}-local:*`);
      for (const key of ['S3_ENDPOINT', 'STORAGE_DIR']) delete process.env[key];
    }
  });

  it('answers 404 naming what is missing', async () => {
    const unknownFinding = randomUUID();
    const noFinding = await authFetch(`${streaming.baseUrl}/v1/findings/${unknownFinding}/clip`);
    expect(noFinding.status).toBe(404);
    expect(((await noFinding.json()) as { message: string }).message).toBe(`finding ${unknownFinding} does not exist`);

    const unknownCall = randomUUID();
    const noCall = await authFetch(`${redirecting.baseUrl}/v1/calls/${unknownCall}/audio`);
    expect(noCall.status).toBe(404);
    expect(((await noCall.json()) as { message: string }).message).toBe(`call ${unknownCall} does not exist`);

    const badId = await authFetch(`${streaming.baseUrl}/v1/findings/not-a-uuid/clip`);
    expect(badId.status).toBe(400);
  });

  it('completes a call whose evidence lies past the end of its recording, without a clip instead of failing the clip stage', async () => {
    const audio = Buffer.concat([sample.audio, randomBytes(16).map((b) => b & 0x01)]);
    const upload = await uploadCall(
      streaming.baseUrl,
      uploadForm({ audio, metadata: { ...sample.metadata, externalId: 'media-shifted' }, transcript: shiftedTranscript(sample, 600) }),
    );
    expect(upload.status).toBe(201);
    const shifted = await waitForCall(streaming.baseUrl, upload.body.id as string, 60_000);
    expect(shifted.status).toBe('completed');
    // spoken-evidence findings moved with the transcript; time-scoped absence findings may still sit inside the call
    const late = shifted.findings.filter((finding) => Number(finding.evidence.startSeconds) >= 600);
    expect(late.map((finding) => finding.family)).toContain('guaranteed_returns');
    expect(late.every((finding) => !finding.hasClip)).toBe(true);

    const response = await authFetch(`${streaming.baseUrl}/v1/findings/${late[0].id}/clip`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { message: string }).message).toMatch(/outside the recording/);
  }, 90_000);
});
