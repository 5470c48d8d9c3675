import { type MetadataCheckInput, type OptOutEntry, activeOptOut, runMetadataChecks } from './metadata-checks.js';

const PHONE_LA = '+14155550123';
const PHONE_CN = '+8613812345678';
const PHONE_GB = '+447911123456';

function input(over: Partial<MetadataCheckInput['call']> = {}, rest: Partial<Omit<MetadataCheckInput, 'call'>> = {}): MetadataCheckInput {
  return {
    call: {
      id: 'c-now',
      phone: PHONE_LA,
      startedAt: new Date('2026-11-20T18:15:00Z'), // 10:15 in Los Angeles
      timeZone: 'America/Los_Angeles',
      direction: 'outbound',
      ...over,
    },
    optOuts: [],
    nearbyCalls: [],
    earlierStopRequests: [],
    ...rest,
  };
}

const optOut = (over: Partial<OptOutEntry>): OptOutEntry => ({
  id: 'o1',
  source: 'import',
  effectiveAt: new Date('2026-11-01T00:00:00Z'),
  removedAt: null,
  sourceCallId: null,
  ...over,
});

const rules = (i: MetadataCheckInput) => runMetadataChecks(i).map((f) => `${f.ruleId}:${f.severity}`);

describe('runMetadataChecks', () => {
  it.each([
    ['a compliant call raises nothing', input(), []],
    [
      'opted out before the call started: critical',
      input({}, { optOuts: [optOut({})] }),
      ['metadata.opted_out_number:critical'],
    ],
    [
      'opted out after the call started: nothing',
      input({}, { optOuts: [optOut({ effectiveAt: new Date('2026-11-20T18:16:00Z') })] }),
      [],
    ],
    [
      'opt-out removed before the call: nothing',
      input({}, { optOuts: [optOut({ removedAt: new Date('2026-11-10T00:00:00Z') })] }),
      [],
    ],
    ['07:59 local (metadata zone): outside hours, major', input({ startedAt: new Date('2026-11-20T15:59:00Z') }), ['metadata.calling_hours:major']],
    ['08:00 local is permitted', input({ startedAt: new Date('2026-11-20T16:00:00Z') }), []],
    ['20:59 local is permitted', input({ startedAt: new Date('2026-11-21T04:59:00Z') }), []],
    ['21:00 local is outside', input({ startedAt: new Date('2026-11-21T05:00:00Z') }), ['metadata.calling_hours:major']],
    [
      'zone from the number: a Chinese number at 22:30 Shanghai',
      input({ phone: PHONE_CN, timeZone: null, startedAt: new Date('2026-11-20T14:30:00Z') }),
      ['metadata.calling_hours:major'],
    ],
    [
      'zone from the number: a UK number at 10:00 London',
      input({ phone: PHONE_GB, timeZone: null, startedAt: new Date('2026-11-20T10:00:00Z') }),
      [],
    ],
    [
      'several zones (US number, no metadata zone): 09:30 Eastern (06:30 Pacific) is not certainly outside hours',
      input({ timeZone: null, startedAt: new Date('2026-11-20T14:30:00Z') }),
      [],
    ],
    [
      'several zones: 03:00 Eastern is outside hours in every US zone',
      input({ timeZone: null, startedAt: new Date('2026-11-20T08:00:00Z') }),
      ['metadata.calling_hours:major'],
    ],
    [
      'third call of the local day with a limit of 2: major',
      input({}, {
        nearbyCalls: [
          { id: 'a', startedAt: new Date('2026-11-20T16:30:00Z') },
          { id: 'b', startedAt: new Date('2026-11-20T17:30:00Z') },
        ],
      }),
      ['metadata.dial_frequency:major'],
    ],
    [
      'second call of the day: nothing',
      input({}, { nearbyCalls: [{ id: 'a', startedAt: new Date('2026-11-20T16:30:00Z') }] }),
      [],
    ],
    [
      'earlier calls on the previous local day do not count (UTC same day, LA previous day)',
      input({}, {
        nearbyCalls: [
          { id: 'a', startedAt: new Date('2026-11-20T03:00:00Z') },
          { id: 'b', startedAt: new Date('2026-11-20T04:00:00Z') },
        ],
      }),
      [],
    ],
    [
      'the first call of the day is never the one flagged, even when later calls exist',
      input({}, {
        nearbyCalls: [
          { id: 'a', startedAt: new Date('2026-11-20T19:30:00Z') },
          { id: 'b', startedAt: new Date('2026-11-20T20:30:00Z') },
        ],
      }),
      [],
    ],
    [
      'the customer asked to stop in an earlier call not in the registry: critical',
      input({}, { earlierStopRequests: [{ callId: 'old', callStartedAt: new Date('2026-11-19T18:00:00Z'), evidence: 'stop calling me' }] }),
      ['metadata.prior_stop_request:critical'],
    ],
    [
      'a stop request already in the registry gives the opted-out finding only',
      input({}, {
        optOuts: [optOut({ source: 'call_detected', sourceCallId: 'old', effectiveAt: new Date('2026-11-19T18:01:00Z') })],
        earlierStopRequests: [{ callId: 'old', callStartedAt: new Date('2026-11-19T18:00:00Z') }],
      }),
      ['metadata.opted_out_number:critical'],
    ],
    [
      'a stop request in a later call does not count',
      input({}, { earlierStopRequests: [{ callId: 'later', callStartedAt: new Date('2026-11-21T18:00:00Z') }] }),
      [],
    ],
    [
      'an inbound call is never a violation',
      input({ direction: 'inbound', startedAt: new Date('2026-11-21T06:00:00Z') }, { optOuts: [optOut({})] }),
      [],
    ],
  ])('%s', (_name, given, expected) => {
    expect(rules(given)).toEqual(expected);
  });

  it('honours a configured policy', () => {
    const given = input({ startedAt: new Date('2026-11-20T16:30:00Z') }, { nearbyCalls: [{ id: 'a', startedAt: new Date('2026-11-20T16:00:00Z') }] });
    const findings = runMetadataChecks(given, { callingHours: { start: '09:00', end: '20:00' }, maxCallsPerNumberPerDay: 1 });
    expect(findings.map((f) => f.ruleId).sort()).toEqual(['metadata.calling_hours', 'metadata.dial_frequency']);
    expect(findings.every((f) => f.source === 'metadata')).toBe(true);
    expect(findings.find((f) => f.ruleId === 'metadata.calling_hours')?.description).toContain('08:30 (America/Los_Angeles)');
  });

  it('picks the earliest opt-out in force', () => {
    const at = new Date('2026-11-20T00:00:00Z');
    const found = activeOptOut(
      [optOut({ id: 'late', effectiveAt: new Date('2026-11-15T00:00:00Z') }), optOut({ id: 'early', effectiveAt: new Date('2026-11-02T00:00:00Z') })],
      at,
    );
    expect(found?.id).toBe('early');
  });
});
