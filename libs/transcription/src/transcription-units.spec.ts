import { planChunks } from './chunk-plan.js';
import { parseRetryAfter } from './retry-policy.js';
import { mapDiarizedRoles } from './speaker-role.mapper.js';

describe('planChunks', () => {
  it('keeps a small file whole', () => {
    expect(planChunks({ durationSeconds: 100, bytesPerSecond: 1000, limitBytes: 1e6, silences: [] })).toEqual([{ start: 0, end: 100, hardCut: false }]);
  });
  it('cuts in the middle of the latest silence inside the window, hard-cuts where there is none', () => {
    const plan = planChunks({ durationSeconds: 250, bytesPerSecond: 1000, limitBytes: 100_000, fill: 1, silences: [{ start: 60, end: 62 }, { start: 80, end: 90 }] });
    expect(plan).toEqual([
      { start: 0, end: 85, hardCut: false },
      { start: 85, end: 185, hardCut: true },
      { start: 185, end: 250, hardCut: false },
    ]);
  });
  it('honours maxChunkSeconds', () => {
    expect(planChunks({ durationSeconds: 30, bytesPerSecond: 1, limitBytes: 1e9, maxChunkSeconds: 10, silences: [] })).toHaveLength(3);
  });
});

describe('parseRetryAfter', () => {
  it.each([
    [{ 'retry-after': '7' }, 7],
    [{ 'retry-after-ms': '250' }, 0.25],
    [{ 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }, 30],
    [{ 'retry-after': 'soon' }, undefined],
    [{}, undefined],
  ])('%j → %s', (h, expected) => {
    expect(parseRetryAfter(new Headers(h), Date.parse('Wed, 01 Jan 2025 00:00:00 GMT'))).toBe(expected);
  });
});

describe('mapDiarizedRoles', () => {
  it.each([
    ['English greeting', [{ label: 'A', start: 0, text: 'Hello?' }, { label: 'B', start: 1, text: 'Thank you for calling, how can I help?' }], 'B'],
    ['Chinese greeting', [{ label: 'A', start: 0, text: '您好，这里是安心保险客服中心，工号1234。' }, { label: 'B', start: 3, text: '你好' }], 'A'],
  ])('%s picks the agent', (_n, segs, agent) => {
    const m = mapDiarizedRoles(segs);
    expect(m.agentLabel).toBe(agent);
    expect(m.roles[agent]).toBe('agent');
    expect(Object.values(m.roles)).toContain('customer');
    expect(m.confidence).toBeGreaterThan(0.5);
  });
  it('no evidence → no mapping, confidence 0', () => {
    expect(mapDiarizedRoles([{ label: 'A', start: 0, text: 'yes' }, { label: 'B', start: 1, text: 'no' }])).toEqual({ roles: {}, confidence: 0 });
  });
  it('a greeting after the first minute does not count', () => {
    expect(mapDiarizedRoles([{ label: 'A', start: 90, text: 'thank you for calling' }]).agentLabel).toBeUndefined();
  });
});
