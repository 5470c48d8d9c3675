import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConversationMetricsResult, NormalisedTranscript } from '#libs/domain';
import { computeConversationMetrics, metricsFromTranscript } from '#libs/conversation-metrics';
import { generateTestCalls, type CallVariant, type GeneratedCall } from '../../../scripts/generate-test-calls.js';
import { detectVoiceActivity, type VadDetector } from './detect-voice-activity.js';
import { probeAudio } from './probe-audio.js';

// Accuracy targets of the Metrics issue, on the project's own synthetic calls (scripts/generate-test-calls.ts).
const SHARE_TOLERANCE = 0.02;
const STEREO_VARIANTS: CallVariant[] = ['stereo', 'stereo-mulaw', 'stereo-mp3', 'realistic', 'realistic-mulaw', 'realistic-mp3'];
const DETECTORS: VadDetector[] = ['energy', 'silero'];

let dir: string;
let calls: GeneratedCall[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'earshot-accuracy-'));
  calls = await generateTestCalls(dir);
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

function truthMetrics(call: GeneratedCall): ConversationMetricsResult {
  const { truth } = call;
  return computeConversationMetrics({
    durationSeconds: truth.durationSeconds,
    agent: truth.turns.filter((t) => t.speaker === 'agent'),
    customer: truth.turns.filter((t) => t.speaker === 'customer'),
  });
}

function expectMatchesTruth(m: ConversationMetricsResult, call: GeneratedCall): void {
  const t = truthMetrics(call);
  expect(Math.abs((m.agentTalkShare ?? NaN) - (t.agentTalkShare ?? NaN))).toBeLessThanOrEqual(SHARE_TOLERANCE);
  expect(Math.abs((m.customerTalkShare ?? NaN) - (t.customerTalkShare ?? NaN))).toBeLessThanOrEqual(SHARE_TOLERANCE);
  expect(Math.abs((m.silenceShare ?? NaN) - (t.silenceShare ?? NaN))).toBeLessThanOrEqual(SHARE_TOLERANCE);
  const overlap = call.truth.overlap;
  if (!overlap) throw new Error('every generated call has one barge-in');
  expect(m.overlapSeconds).toBeGreaterThan(0.5 * (overlap.end - overlap.start));
  expect(m.overlapSeconds).toBeLessThan(2 * (overlap.end - overlap.start));
  expect(overlap.by === 'customer' ? m.customerInterruptions : m.agentInterruptions).toBe(1);
  expect(overlap.by === 'customer' ? m.agentInterruptions : m.customerInterruptions).toBe(0);
  expect(m.deadAirCount).toBe(call.truth.longSilences);
  expect(m.earlyHangUp).toBe(call.truth.earlyHangUp);
  expect(m.effectiveCall).toBe(call.truth.effectiveCall);
}

describe('audio metrics accuracy on generated calls', () => {
  it('generates an effective call and an early hang-up, each with one barge-in', () => {
    expect(calls.map((c) => [c.truth.effectiveCall, c.truth.earlyHangUp])).toEqual([
      [true, false],
      [false, true],
    ]);
    expect(calls.every((c) => c.truth.overlap !== null)).toBe(true);
    expect(calls[0].truth.longSilences).toBe(2);
  });

  const cases = ['long', 'short'].flatMap((name) =>
    STEREO_VARIANTS.flatMap((variant) => DETECTORS.map((detector) => ({ name, variant, detector }))),
  );

  it.each(cases)('$name $variant with the $detector detector', async ({ name, variant, detector }) => {
    const call = calls.find((c) => c.truth.name === name);
    if (!call) throw new Error(`no generated call ${name}`);
    const va = await detectVoiceActivity(call.files[variant], { detector, channelLayout: 'agent-left' });
    expect(va.channels).toBe(2);
    expect(Math.abs(va.durationSeconds - call.truth.durationSeconds)).toBeLessThan(0.1);
    if (!va.agent || !va.customer) throw new Error('stereo activity must carry both roles');
    const m = computeConversationMetrics({ durationSeconds: va.durationSeconds, agent: va.agent, customer: va.customer });
    expectMatchesTruth(m, call);
  }, 30_000);

  it('without the echo check, realistic lines show both parties talking at once', async () => {
    const call = calls[0];
    const va = await detectVoiceActivity(call.files.realistic, { detector: 'energy', echoCheck: false });
    const m = computeConversationMetrics({ durationSeconds: va.durationSeconds, agent: va.agent ?? [], customer: va.customer ?? [] });
    expect(m.overlapSeconds).toBeGreaterThan(10 * ((call.truth.overlap?.end ?? 0) - (call.truth.overlap?.start ?? 0)));
  }, 30_000);

  it.each(['long', 'short'])('%s mono variant: metrics from the role-labelled transcript', async (name) => {
    const call = calls.find((c) => c.truth.name === name);
    if (!call) throw new Error(`no generated call ${name}`);
    const probe = await probeAudio(call.files.mono);
    expect(probe.channels).toBe(1);
    const va = await detectVoiceActivity(call.files.mono);
    expect(va.agent).toBeNull();
    const transcript = JSON.parse(await readFile(call.transcriptPath, 'utf8')) as NormalisedTranscript;
    const m = metricsFromTranscript(transcript, probe.durationSeconds);
    expectMatchesTruth(m, call);
    expect(m.speechRateWpm).toBeGreaterThan(100);
    expect(m.speechRateWpm).toBeLessThan(250);

    const unknown: NormalisedTranscript = { ...transcript, rolesSource: 'none', segments: transcript.segments.map((s) => ({ ...s, speaker: 'unknown' })) };
    const u = metricsFromTranscript(unknown, probe.durationSeconds);
    expect(u.agentTalkShare).toBeNull();
    expect(u.unavailable.agentTalkShare).toMatch(/unknown/);
    expect(Math.abs((u.silenceShare ?? NaN) - (m.silenceShare ?? NaN))).toBeLessThan(1e-9);
  }, 30_000);
});
