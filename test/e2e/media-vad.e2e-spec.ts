import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import pg from 'pg';
import {
  type CallView,
  type SampleCall,
  type TestEnvironment,
  createTestEnvironment,
  loadSample,
  startApi,
  uploadCall,
  uploadForm,
  waitForCall,
} from '../support/earshot-harness.js';

interface Segment {
  speaker: string;
  start: number;
  end: number;
}

/** The agent's share of the call by the sample's transcript, whose segments also hold espeak's trailing ~0.4 s of silence. */
function transcriptAgentShare(sample: SampleCall, durationSeconds: number): number {
  const { segments } = JSON.parse(sample.transcript.toString('utf8')) as { segments: Segment[] };
  const agent = segments.filter((s) => s.speaker === 'agent').reduce((sum, s) => sum + (s.end - s.start), 0);
  return agent / durationSeconds;
}

describe("analyse-audio uses the campaign's voice-activity detector (energy by default, silero on request)", () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;
  let sample: SampleCall;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    const client = new pg.Client({ connectionString: environment.databaseUrl });
    await client.connect();
    try {
      await client.query(
        `INSERT INTO "Campaign" (id, "externalId", name, "rulePacks", "vadDetector") VALUES (gen_random_uuid(), 'vad-silero', 'vad-silero', '{}', 'silero')`,
      );
    } finally {
      await client.end();
    }
    ({ app, baseUrl } = await startApi(environment.env));
    sample = await loadSample('en-guaranteed-returns');
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
  });

  async function analyse(campaignExternalId: string, recording: Buffer = sample.audio): Promise<CallView> {
    const audio = Buffer.concat([recording, randomBytes(16).map((b) => b & 0x01)]);
    const metadata = { ...sample.metadata, externalId: `vad-${campaignExternalId}`, campaignExternalId };
    const upload = await uploadCall(baseUrl, uploadForm({ audio, metadata, transcript: sample.transcript }));
    expect(upload.status).toBe(201);
    return waitForCall(baseUrl, upload.body.id as string, 60_000);
  }

  it('measures the same stereo call with both detectors: close to each other and the transcript, not identically', async () => {
    const energy = await analyse('vad-energy-default');
    const silero = await analyse('vad-silero');
    for (const call of [energy, silero]) {
      expect(call.status).toBe('completed');
      expect(call.metrics).toMatchObject({ source: 'audio', customerInterruptions: expect.any(Number) });
    }
    const duration = Number(energy.metrics?.durationSeconds);
    const truth = transcriptAgentShare(sample, duration);
    const energyShare = Number(energy.metrics?.agentTalkShare);
    const sileroShare = Number(silero.metrics?.agentTalkShare);
    expect(Math.abs(energyShare - sileroShare)).toBeLessThan(0.02);
    for (const share of [energyShare, sileroShare]) {
      expect(share).toBeLessThan(truth);
      expect(share).toBeGreaterThan(truth - 0.08);
    }
    // the two detectors mark speech edges differently: equal shares would mean the campaign's choice was ignored
    expect(sileroShare).not.toBe(energyShare);
  }, 120_000);

  it('says so when the audio and the transcript disagree on talk time, and scores the talk ratio as not available', async () => {
    // the agent's (left) channel silenced, the transcript unchanged: the detector hears near-silence where the
    // transcript has the agent talking
    const dir = mkdtempSync(join(tmpdir(), 'earshot-silenced-'));
    let silenced: Buffer;
    try {
      writeFileSync(join(dir, 'in.wav'), sample.audio);
      execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', join(dir, 'in.wav'), '-af', 'pan=stereo|c0=0*c0|c1=c1', '-c:a', 'pcm_mulaw', join(dir, 'out.wav')]);
      silenced = readFileSync(join(dir, 'out.wav'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const normal = await analyse('vad-agree');
    const broken = await analyse('vad-disagree', silenced);
    const talkRatio = (call: CallView) =>
      (call.evaluation?.criteria as { criterionId: string; result: string }[] | undefined)?.find((c) => c.criterionId === 'talk_ratio_within_target')?.result;

    expect(normal.metrics).not.toHaveProperty('metricsWarnings');
    expect(normal.metrics?.talkRatioWithinTarget).not.toBeNull();
    expect(talkRatio(normal)).not.toBe('na');

    expect(broken.status).toBe('completed');
    expect(broken.metrics?.metricsWarnings).toEqual([expect.objectContaining({ code: 'audio_transcript_disagree', speaker: 'agent' })]);
    expect(broken.metrics).toMatchObject({ agentTalkShare: null, talkRatioWithinTarget: null });
    expect(talkRatio(broken)).toBe('na');
  }, 120_000);
});
