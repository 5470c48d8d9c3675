import { readFileSync, readdirSync } from 'node:fs';
import { DEFAULT_SCORECARD } from './default-scorecard.js';
import { scoreCall } from './score-call.js';
import { parseScorecard } from './scorecard.schema.js';
import type { CallEvaluation, ScoreCallInput } from './scorecard.js';

interface Fixture {
  description: string;
  scorecard: 'DEFAULT' | unknown;
  input: ScoreCallInput;
  expected: CallEvaluation;
}

const dir = new URL('../fixtures/', import.meta.url);
const fixtures = readdirSync(dir)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name): [string, Fixture] => [name, JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as Fixture]);

describe('scoreCall golden fixtures', () => {
  it('finds the fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(10);
  });

  it.each(fixtures)('%s', (_name, fixture) => {
    // Custom scorecards go through the validator, so the fixtures also prove it accepts real cards.
    const scorecard = fixture.scorecard === 'DEFAULT' ? DEFAULT_SCORECARD : parseScorecard(fixture.scorecard);
    expect(scoreCall(scorecard, fixture.input)).toEqual(fixture.expected);
  });
});

describe('scoreCall', () => {
  it('is deterministic and does not mutate its input', () => {
    const input: ScoreCallInput = {
      findings: [{ id: 'a', ruleId: 'r', family: 'pressure_tactics', severity: 'major', reviewState: 'pending' }],
      metrics: null,
    };
    const before = JSON.stringify(input);
    expect(scoreCall(DEFAULT_SCORECARD, input)).toEqual(scoreCall(DEFAULT_SCORECARD, input));
    expect(JSON.stringify(input)).toBe(before);
  });

  it.each([
    ['<=', 60, 60.0000000001, 'pass'],
    ['<=', 60, 60.1, 'fail'],
    ['>=', 0.3, 0.1 + 0.2, 'pass'],
    ['==', 0.3, 0.1 + 0.2, 'pass'],
    ['==', 3, 4, 'fail'],
  ] as const)('%s %d against %d: %s (float noise tolerated)', (op, value, observed, result) => {
    const card = parseScorecard({
      name: 'x',
      version: 1,
      criteria: [{ id: 'm', label: 'm', weight: 1, critical: false, source: { kind: 'metric', metric: 'silenceShare', op, value } }],
    });
    const metrics = { ...baseMetrics, silenceShare: observed };
    expect(scoreCall(card, { findings: [], metrics }).criteria[0].result).toBe(result);
  });

  it('a failed critical criterion with weight 0 still auto-fails the call', () => {
    const card = parseScorecard({
      name: 'x',
      version: 1,
      criteria: [
        { id: 'gate', label: 'gate', weight: 0, critical: true, source: { kind: 'finding_absent', families: ['opted_out_number'] } },
        { id: 'rest', label: 'rest', weight: 10, critical: false, source: { kind: 'finding_absent', families: ['x'] } },
      ],
    });
    const finding = { id: 'f', ruleId: 'meta.opt_out', family: 'opted_out_number', severity: 'critical', reviewState: 'confirmed' } as const;
    expect(scoreCall(card, { findings: [finding], metrics: null })).toMatchObject({ score: 0, autoFailed: true });
  });

  it('scores the talk ratio as not available, not as silence, when audio and transcript disagree', () => {
    const withdrawn: NonNullable<ScoreCallInput['metrics']> = {
      ...baseMetrics,
      agentTalkShare: null,
      customerTalkShare: null,
      talkRatioWithinTarget: null,
      unavailable: { talkRatioWithinTarget: 'audio and transcript disagree on talk time (agent)' },
      metricsWarnings: [{ code: 'audio_transcript_disagree', speaker: 'agent', audioSeconds: 1, transcriptSeconds: 60, message: 'm' }],
    };
    const talk = (m: ScoreCallInput['metrics']) => scoreCall(DEFAULT_SCORECARD, { findings: [], metrics: m }).criteria.find((c) => c.criterionId === 'talk_ratio_within_target')?.result;
    expect(talk(baseMetrics)).toBe('pass');
    expect(talk({ ...baseMetrics, talkRatioWithinTarget: false })).toBe('fail');
    expect(talk(withdrawn)).toBe('na');
  });

  it('the default scorecard is valid and its weights total 100', () => {
    expect(parseScorecard(DEFAULT_SCORECARD)).toEqual(DEFAULT_SCORECARD);
    expect(DEFAULT_SCORECARD.criteria.reduce((sum, c) => sum + c.weight, 0)).toBe(100);
  });
});

const baseMetrics = {
  source: 'audio',
  durationSeconds: 100,
  agentTalkShare: 0.3,
  customerTalkShare: 0.6,
  silenceShare: 0.1,
  overlapSeconds: 0,
  agentInterruptions: 0,
  customerInterruptions: 0,
  longestAgentMonologue: 10,
  longestCustomerTurn: 10,
  deadAirCount: 0,
  speechRateWpm: 140,
  talkRatioWithinTarget: true,
  earlyHangUp: false,
  effectiveCall: false,
  unavailable: {},
} as const;
