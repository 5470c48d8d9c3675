import { countersFrom } from './call-outcome-counters.js';
import { rankEntities, type RankableEntity } from './ranking.js';

// An agent with `analysed` analysed calls of which `critical` had a confirmed critical finding.
const agent = (id: string, critical: number, analysed: number, extra: Record<string, number> = {}): RankableEntity => ({
  id,
  counters: countersFrom({ calls: analysed, analysedCalls: analysed, callsWithCritical: critical, ...extra }),
});

describe('rankEntities', () => {
  const agents = [
    agent('a1', 0, 50),
    agent('a2', 1, 50),
    agent('a3', 2, 50),
    agent('a4', 3, 50),
    agent('a5', 4, 50),
    agent('a6', 5, 50),
    agent('a7', 6, 50),
    agent('a8', 7, 50),
    agent('a9', 8, 50),
    agent('a10', 10, 50),
    agent('tiny', 0, 3),
    agent('idle', 0, 0),
  ];

  it('ranks the best 20% first and the worst 20% worst-first, lower violation rate being better', () => {
    const r = rankEntities(agents, 'violationRate', { minSample: 20 });
    expect(r.higherIsBetter).toBe(false);
    expect(r.eligible).toBe(10);
    expect(r.top.map((e) => e.id)).toEqual(['a1', 'a2']);
    expect(r.bottom.map((e) => e.id)).toEqual(['a10', 'a9']);
    expect(r.top.map((e) => e.rank)).toEqual([1, 2]);
    expect(r.bottom.map((e) => e.rank)).toEqual([10, 9]);
    expect(r.bottom[0].value).toBeCloseTo(0.2, 12);
  });

  it('leaves out agents below the minimum sample and those with no data, saying why', () => {
    const r = rankEntities(agents, 'violationRate', { minSample: 20 });
    expect(r.excluded).toEqual([
      { id: 'tiny', value: 0, sample: 3, reason: 'below_min_sample' },
      { id: 'idle', value: null, sample: 0, reason: 'no_data' },
    ]);
    expect([...r.top, ...r.bottom].map((e) => e.id)).not.toContain('tiny');
    // With no minimum the 3-call agent with 0 violations would have made the top list (after the surer 0 / 50).
    expect(rankEntities(agents, 'violationRate', { minSample: 0 }).top.map((e) => e.id)).toEqual(['a1', 'tiny', 'a2']);
  });

  it('attaches a Wilson interval to rates and none to means', () => {
    const r = rankEntities(agents, 'violationRate', { minSample: 20 });
    const worst = r.bottom[0];
    expect(worst.ci).not.toBeNull();
    expect(worst.ci!.low).toBeLessThan(worst.value);
    expect(worst.ci!.high).toBeGreaterThan(worst.value);
    const scored = [agent('s1', 0, 10, { scoreSum: 800, scoredCalls: 10 }), agent('s2', 0, 10, { scoreSum: 900, scoredCalls: 10 })];
    const q = rankEntities(scored, 'qaScoreMean', { minSample: 5 });
    expect(q.top).toEqual([{ id: 's2', value: 90, sample: 10, ci: null, rank: 1 }]);
    expect(q.bottom.map((e) => e.id)).toEqual(['s1']);
  });

  it('breaks ties by the more certain result, then by id', () => {
    const tied = [agent('b', 0, 30), agent('a', 0, 30), agent('big', 0, 300), agent('x1', 5, 30), agent('x2', 6, 30)];
    const r = rankEntities(tied, 'violationRate', { minSample: 10, fraction: 0.5 });
    // 0/300 has the lower upper bound than 0/30: more certain of a low rate.
    expect(r.top.map((e) => e.id)).toEqual(['big', 'a']);
  });

  it.each([
    [1, 0],
    [2, 1],
    [5, 1],
    [10, 2],
    [11, 3],
    [15, 3],
  ])('with %d eligible, each list holds %d and never overlaps', (n, k) => {
    const list = Array.from({ length: n }, (_, i) => agent(`e${String(i).padStart(2, '0')}`, i, 40));
    const r = rankEntities(list, 'violationRate', { minSample: 1 });
    expect(r.top).toHaveLength(k);
    expect(r.bottom).toHaveLength(k);
    const topIds = new Set(r.top.map((e) => e.id));
    expect(r.bottom.some((e) => topIds.has(e.id))).toBe(false);
  });

  it("breaks exact ties on the tie key (the agent's external id), not the internal id", () => {
    const tied = [
      { ...agent('ffff-internal', 1, 40), tieKey: 'A-001' },
      { ...agent('0000-internal', 1, 40), tieKey: 'A-003' },
      { ...agent('8888-internal', 1, 40), tieKey: 'A-002' },
      agent('worse', 9, 40),
    ];
    const r = rankEntities(tied, 'violationRate', { minSample: 1, fraction: 0.5 });
    expect(r.top.map((e) => e.id)).toEqual(['ffff-internal', '8888-internal']);
    expect(r.top[0]).not.toHaveProperty('tieKey');
  });

  it('shows no bottom list when everyone ties, and none of the top in it when the tail ties the top', () => {
    const all = Array.from({ length: 10 }, (_, i) => agent(`t${i}`, 2, 40));
    const r = rankEntities(all, 'violationRate', { minSample: 1 });
    expect(r.top.map((e) => e.id)).toEqual(['t0', 't1']);
    expect(r.bottom).toEqual([]);
    // one worse agent: it alone is the bottom; its tied neighbours are not shown as worst
    const one = [...all.slice(0, 9), agent('bad', 9, 40)];
    expect(rankEntities(one, 'violationRate', { minSample: 1 }).bottom.map((e) => e.id)).toEqual(['bad']);
  });

  it('honours an explicit direction and orders a metric without one high to low', () => {
    const aht = [agent('short', 0, 10, { handleSeconds: 600, handledCalls: 10 }), agent('long', 0, 10, { handleSeconds: 3000, handledCalls: 10 })];
    expect(rankEntities(aht, 'averageHandleSeconds', { minSample: 1 }).top[0].id).toBe('long');
    expect(rankEntities(aht, 'averageHandleSeconds', { minSample: 1, higherIsBetter: false }).top[0].id).toBe('short');
  });

  it.each([0, 0.6, Number.NaN])('refuses fraction %d', (fraction) => {
    expect(() => rankEntities(agents, 'violationRate', { minSample: 1, fraction })).toThrow(RangeError);
  });
});
