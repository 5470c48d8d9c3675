import {
  type RetentionState,
  planRecordingDeletion,
  retentionCutoff,
  retentionDueAt,
  retentionVerdict,
  selectForDeletion,
} from './retention-policy.js';

const NOW = new Date('2026-12-01T12:00:00Z');
const daysBefore = (days: number, ms = 0) => new Date(NOW.getTime() - days * 86_400_000 + ms);

function call(overrides: Partial<RetentionState>): RetentionState {
  return { callId: 'c', startedAt: daysBefore(400), retentionDays: 365, audioDeletedAt: null, legalHold: false, ...overrides };
}

describe('retentionCutoff', () => {
  it('is now minus whole days', () => {
    expect(retentionCutoff(NOW, 30).toISOString()).toBe('2026-11-01T12:00:00.000Z');
    expect(retentionCutoff(NOW, 1).toISOString()).toBe('2026-11-30T12:00:00.000Z');
  });
});

describe('retentionVerdict', () => {
  it.each([
    { name: 'past retention, not held', state: call({}), verdict: 'delete' },
    { name: 'past retention, on legal hold', state: call({ legalHold: true }), verdict: 'held' },
    { name: 'no retention on the campaign (keep forever)', state: call({ retentionDays: null }), verdict: 'keep' },
    { name: 'within retention', state: call({ startedAt: daysBefore(100) }), verdict: 'keep' },
    { name: 'exactly at the cutoff (not yet past)', state: call({ startedAt: daysBefore(365) }), verdict: 'keep' },
    { name: 'one millisecond past the cutoff', state: call({ startedAt: daysBefore(365, -1) }), verdict: 'delete' },
    { name: 'already deleted', state: call({ audioDeletedAt: daysBefore(10) }), verdict: 'deleted' },
    { name: 'already deleted and held since', state: call({ audioDeletedAt: daysBefore(10), legalHold: true }), verdict: 'deleted' },
    { name: 'held but within retention', state: call({ startedAt: daysBefore(1), legalHold: true }), verdict: 'keep' },
    { name: 'a zero retention is not a retention', state: call({ retentionDays: 0 }), verdict: 'keep' },
  ] as const)('$name -> $verdict', ({ state, verdict }) => {
    expect(retentionVerdict(state, NOW)).toBe(verdict);
  });
});

describe('selectForDeletion', () => {
  it('picks the due calls and counts the held ones apart, ignoring the rest', () => {
    const calls = [
      call({ callId: 'due-1' }),
      call({ callId: 'held', legalHold: true }),
      call({ callId: 'young', startedAt: daysBefore(3) }),
      call({ callId: 'forever', retentionDays: null }),
      call({ callId: 'gone', audioDeletedAt: daysBefore(1) }),
      call({ callId: 'due-2', retentionDays: 7, startedAt: daysBefore(8) }),
    ];
    expect(selectForDeletion(calls, NOW)).toEqual({ toDelete: ['due-1', 'due-2'], held: ['held'] });
    expect(selectForDeletion([], NOW)).toEqual({ toDelete: [], held: [] });
  });
});

describe('planRecordingDeletion', () => {
  const findings = [
    { id: 'f-confirmed', clipKey: 'clips/c/f-confirmed.mp3', reviewState: 'confirmed' },
    { id: 'f-pending', clipKey: 'clips/c/f-pending.mp3', reviewState: 'pending' },
    { id: 'f-dismissed', clipKey: 'clips/c/f-dismissed.mp3', reviewState: 'dismissed' },
    { id: 'f-unclipped', clipKey: null, reviewState: 'confirmed' },
  ] as const;

  it('deletes the recording, a separate redacted copy and the clips of findings not confirmed; keeps confirmed clips', () => {
    expect(planRecordingDeletion({ audioKey: 'calls/a.wav', redactedAudioKey: 'calls/a.redacted.wav', findings })).toEqual({
      recordingKeys: ['calls/a.wav', 'calls/a.redacted.wav'],
      clipsToDelete: [
        { findingId: 'f-pending', clipKey: 'clips/c/f-pending.mp3' },
        { findingId: 'f-dismissed', clipKey: 'clips/c/f-dismissed.mp3' },
      ],
      clipsKept: [{ findingId: 'f-confirmed', clipKey: 'clips/c/f-confirmed.mp3' }],
    });
  });

  it.each([
    ['no redacted copy', null, ['calls/a.wav']],
    ['a redacted copy that is the recording itself', 'calls/a.wav', ['calls/a.wav']],
  ])('%s: the recording once', (_name, redactedAudioKey, keys) => {
    expect(planRecordingDeletion({ audioKey: 'calls/a.wav', redactedAudioKey, findings: [] })).toEqual({ recordingKeys: keys, clipsToDelete: [], clipsKept: [] });
  });
});

describe('retentionDueAt', () => {
  it.each([
    ['30 days after the call', 30, '2026-12-31T12:00:00.000Z'],
    ['one day after', 1, '2026-12-02T12:00:00.000Z'],
    ['kept forever', null, null],
    ['no retention below one day', 0, null],
  ] as const)('%s', (_name, days, expected) => {
    expect(retentionDueAt(NOW, days)?.toISOString() ?? null).toBe(expected);
  });

  it('is the instant the verdict turns from keep to delete', () => {
    const due = retentionDueAt(NOW, 30) as Date;
    const state = call({ startedAt: NOW, retentionDays: 30 });
    expect(retentionVerdict(state, new Date(due.getTime() - 1))).toBe('keep');
    expect(retentionVerdict(state, new Date(due.getTime() + 1))).toBe('delete');
  });
});
