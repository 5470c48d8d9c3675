import type { ConversationMetricsResult, NormalisedTranscript, TranscriptSegment } from '#libs/domain';
import { computeConversationMetrics } from './conversation-metrics.js';
import { complementIntervals, intersectIntervals, normaliseIntervals, type TimeInterval } from './interval.js';
import type { ConversationMetricsOptions } from './metrics-options.js';
import { countWords } from './speech-rate.js';
import { metricsFromTranscript } from './transcript-metrics.js';

const iv = (...pairs: [number, number][]): TimeInterval[] => pairs.map(([start, end]) => ({ start, end }));

describe('interval helpers', () => {
  it.each([
    { input: iv([5, 6], [0, 1], [0.5, 2], [2, 3]), limit: Infinity, expected: iv([0, 3], [5, 6]) },
    { input: iv([-1, 1], [9, 12]), limit: 10, expected: iv([0, 1], [9, 10]) },
    { input: iv([3, 3], [4, 2]), limit: 10, expected: [] },
  ])('normalises $input', ({ input, limit, expected }) => {
    expect(normaliseIntervals(input, limit)).toEqual(expected);
  });

  it('intersects and complements', () => {
    expect(intersectIntervals(iv([0, 5], [8, 10]), iv([4, 9]))).toEqual(iv([4, 5], [8, 9]));
    expect(complementIntervals(iv([1, 2], [4, 5]), 0, 6)).toEqual(iv([0, 1], [2, 4], [5, 6]));
  });
});

interface Case {
  name: string;
  duration: number;
  agent: TimeInterval[];
  customer: TimeInterval[];
  opts?: ConversationMetricsOptions;
  expected: Partial<ConversationMetricsResult>;
}

const cases: Case[] = [
  {
    name: 'alternating turns, no overlap',
    duration: 100,
    agent: iv([0, 10], [30, 40]),
    customer: iv([10, 30], [40, 60]),
    expected: {
      agentTalkShare: 0.2,
      customerTalkShare: 0.4,
      silenceShare: 0.4,
      overlapSeconds: 0,
      agentInterruptions: 0,
      customerInterruptions: 0,
      longestAgentMonologue: 10,
      longestCustomerTurn: 20,
      deadAirCount: 0,
      talkRatioWithinTarget: true,
      earlyHangUp: false,
      effectiveCall: false,
    },
  },
  {
    name: 'customer barges in for 2 s',
    duration: 40,
    agent: iv([0, 10]),
    customer: iv([8, 20]),
    expected: { overlapSeconds: 2, customerInterruptions: 1, agentInterruptions: 0, silenceShare: 0.5, earlyHangUp: false },
  },
  {
    name: 'overlap shorter than the minimum is no interruption',
    duration: 40,
    agent: iv([0, 10]),
    customer: iv([9.8, 20]),
    expected: { customerInterruptions: 0, agentInterruptions: 0, earlyHangUp: false },
  },
  {
    name: 'agent talks over the customer',
    duration: 20,
    agent: iv([5, 8]),
    customer: iv([0, 10]),
    expected: { agentInterruptions: 1, customerInterruptions: 0, overlapSeconds: 3, earlyHangUp: true },
  },
  {
    name: 'dead air counts only silences longer than the threshold inside the conversation',
    duration: 130,
    agent: iv([10, 20], [26, 30], [34, 40]),
    customer: iv([40.5, 50], [56.1, 60]),
    expected: { deadAirCount: 2, effectiveCall: true, earlyHangUp: false },
  },
  {
    name: 'monologue survives short own pauses but not the other party speaking',
    duration: 120,
    agent: iv([0, 10], [11, 20], [25, 30], [31.5, 50]),
    customer: iv([20.5, 24]),
    expected: { longestAgentMonologue: 25, longestCustomerTurn: 3.5 },
  },
  {
    name: 'talk ratio outside the band',
    duration: 100,
    agent: iv([0, 60]),
    customer: iv([60, 80]),
    expected: { talkRatioWithinTarget: false },
  },
  {
    name: 'talk ratio on a custom target',
    duration: 100,
    agent: iv([0, 50]),
    customer: iv([50, 100]),
    opts: { talkRatioTarget: { agent: 50, customer: 50 }, talkRatioTolerance: 0.05 },
    expected: { talkRatioWithinTarget: true, silenceShare: 0 },
  },
  {
    name: 'unconnected call is neither early hang-up nor effective',
    duration: 10,
    agent: [],
    customer: [],
    opts: { connected: false },
    expected: { earlyHangUp: false, effectiveCall: false, talkRatioWithinTarget: null, silenceShare: 1 },
  },
  {
    name: 'exactly 30 s is not early, exactly 120 s is effective',
    duration: 30,
    agent: iv([0, 5]),
    customer: iv([5, 10]),
    expected: { earlyHangUp: false, effectiveCall: false },
  },
  {
    name: 'intervals beyond the call end are clamped',
    duration: 10,
    agent: iv([8, 15]),
    customer: [],
    expected: { agentTalkShare: 0.2, silenceShare: 0.8 },
  },
];

describe('computeConversationMetrics', () => {
  it.each(cases)('$name', ({ duration, agent, customer, opts, expected }) => {
    const result = computeConversationMetrics({ durationSeconds: duration, agent, customer }, opts);
    for (const [key, value] of Object.entries(expected)) {
      const actual = result[key as keyof ConversationMetricsResult];
      if (typeof value === 'number') expect(actual).toBeCloseTo(value, 6);
      else expect(actual).toEqual(value);
    }
  });

  it('says why the speech rate is missing without a transcript', () => {
    const r = computeConversationMetrics({ durationSeconds: 60, agent: iv([0, 10]), customer: [] });
    expect(r.speechRateWpm).toBeNull();
    expect(r.unavailable.speechRateWpm).toBe('no transcript');
  });

  it('computes the agent speech rate from transcript words', () => {
    const r = computeConversationMetrics({
      durationSeconds: 60,
      agent: iv([0, 30]),
      customer: [],
      transcript: [
        { speaker: 'agent', start: 0, end: 15, text: 'one two three four five six seven eight nine ten' },
        { speaker: 'agent', start: 15, end: 30, text: '', words: Array.from({ length: 30 }, (_, i) => ({ w: 'x', start: i / 2 + 15, end: i / 2 + 15.4 })) },
        { speaker: 'customer', start: 30, end: 40, text: 'not counted at all' },
      ],
    });
    expect(r.speechRateWpm).toBeCloseTo(80, 6);
  });

  it('rejects a meaningless target', () => {
    expect(() => computeConversationMetrics({ durationSeconds: 1, agent: [], customer: [] }, { talkRatioTarget: { agent: 0, customer: 0 } })).toThrow(RangeError);
  });
});

describe('countWords', () => {
  it.each([
    { text: 'Hello, this is Anna from Acme.', expected: 6 },
    { text: '您好，我是小王', expected: 6 },
    { text: 'OK 好的 - 3 items', expected: 5 },
  ])('$text → $expected', ({ text, expected }) => {
    expect(countWords({ speaker: 'agent', start: 0, end: 1, text })).toBe(expected);
  });
});

describe('metricsFromTranscript', () => {
  const transcript = (speakers: ('agent' | 'customer' | 'unknown')[], rolesSource: NormalisedTranscript['rolesSource']): NormalisedTranscript => ({
    provider: 'test',
    rolesSource,
    segments: speakers.map((speaker, i) => ({ speaker, start: i * 10, end: i * 10 + 8, text: 'a b c d e f g h' })),
  });

  it('computes speaker metrics from role-labelled segments', () => {
    const r = metricsFromTranscript(transcript(['agent', 'customer', 'customer'], 'channel'), 40);
    expect(r.source).toBe('transcript');
    expect(r.agentTalkShare).toBeCloseTo(0.2, 6);
    expect(r.customerTalkShare).toBeCloseTo(0.4, 6);
    expect(r.speechRateWpm).toBeCloseTo(60, 6);
    expect(r.unavailable).toEqual({});
  });

  it.each([
    { speakers: ['unknown', 'unknown'] as const, rolesSource: 'none' as const, reason: /no roles/ },
    { speakers: ['agent', 'unknown'] as const, rolesSource: 'diarization' as const, reason: /1 of 2/ },
  ])('nulls speaker metrics with a reason ($rolesSource)', ({ speakers, rolesSource, reason }) => {
    const r = metricsFromTranscript(transcript([...speakers], rolesSource), 100);
    for (const key of ['agentTalkShare', 'customerTalkShare', 'overlapSeconds', 'agentInterruptions', 'longestAgentMonologue', 'speechRateWpm', 'talkRatioWithinTarget'] as const) {
      expect(r[key]).toBeNull();
      expect(r.unavailable[key]).toMatch(reason);
    }
    expect(r.silenceShare).toBeCloseTo(0.84, 6);
    expect(r.earlyHangUp).toBe(false);
  });
});

describe('audio against transcript talk time', () => {
  // a 120 s call: the transcript has the agent on 0-60 s and the customer on 60-100 s
  const segments: TranscriptSegment[] = [
    { speaker: 'agent', start: 0, end: 60, text: 'a b c' },
    { speaker: 'customer', start: 60, end: 100, text: 'd e f' },
  ];
  const run = (agent: TimeInterval[], customer: TimeInterval[], opts: ConversationMetricsOptions = {}, transcript: TranscriptSegment[] = segments) =>
    computeConversationMetrics({ durationSeconds: 120, agent, customer, transcript }, opts, 'audio');

  it('leaves the metrics alone when the detector roughly agrees with the transcript', () => {
    const r = run(iv([1, 55]), iv([61, 95]));
    expect(r.metricsWarnings).toBeUndefined();
    expect(r.talkRatioWithinTarget).toBe(false);
    expect(r.agentTalkShare).toBeCloseTo(54 / 120, 6);
  });

  it('warns and withdraws the talk-ratio metrics when a channel is near-silent but the transcript has speech on it', () => {
    const r = run(iv([10, 12]), iv([61, 95]));
    expect(r.metricsWarnings).toEqual([
      expect.objectContaining({ code: 'audio_transcript_disagree', speaker: 'agent', audioSeconds: 2, transcriptSeconds: 60 }),
    ]);
    for (const key of ['agentTalkShare', 'customerTalkShare', 'talkRatioWithinTarget'] as const) {
      expect(r[key]).toBeNull();
      expect(r.unavailable[key]).toMatch(/audio and transcript disagree on talk time \(agent\)/);
    }
    // metrics that do not depend on the split of talk time stay
    expect(r.silenceShare).not.toBeNull();
    expect(r.overlapSeconds).toBe(0);
  });

  it('also warns the other way round (speech detected where the transcript has none), per speaker', () => {
    const r = run(iv([1, 55]), iv([0, 120]), {}, [segments[0] as TranscriptSegment, { speaker: 'customer', start: 60, end: 63, text: 'ok' }]);
    expect(r.metricsWarnings?.map((w) => w.speaker)).toEqual(['customer']);
  });

  it('does not judge short speech, unknown speakers or transcript-derived metrics', () => {
    expect(run(iv([1, 2]), iv([61, 95]), { disagreementMinSeconds: 90 }).metricsWarnings).toBeUndefined();
    const unknown: TranscriptSegment[] = segments.map((s) => ({ ...s, speaker: 'unknown' }));
    expect(run(iv([10, 12]), iv([61, 95]), {}, unknown).metricsWarnings).toBeUndefined();
    expect(computeConversationMetrics({ durationSeconds: 120, agent: iv([10, 12]), customer: iv([61, 95]), transcript: segments }, {}, 'transcript').metricsWarnings).toBeUndefined();
  });

  it('rejects a negative threshold', () => {
    expect(() => run(iv([1, 2]), iv([3, 4]), { disagreementRatio: -1 })).toThrow(/disagreementRatio/);
  });
});
