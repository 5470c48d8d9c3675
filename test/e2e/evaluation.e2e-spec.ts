import { jest } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { type Server, createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { INestApplication } from '@nestjs/common';
import { JobQueues, SideQueueName } from '#libs/queue';
import { verifyWebhookSignature } from '#libs/webhooks';
import {
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

type Json = Record<string, unknown>;

/** The sample with a different tail of audio bytes, so it is a new recording, under a new external id. */
function variant(sample: SampleCall, externalId: string): SampleCall {
  const audio = Buffer.concat([sample.audio, randomBytes(16).map((b) => b & 0x01)]);
  return { ...sample, audio, metadata: { ...sample.metadata, externalId } };
}

const PERIOD = 'from=2026-11-01&to=2026-11-30';
const ALERT_SECRET = 'alert-secret-0123456789';

interface Received {
  body: string;
  signature: string | undefined;
}

/** A webhook receiver on loopback that keeps every request it accepts; it answers 503 to each event's first attempt. */
async function startReceiver(): Promise<{ server: Server; url: string; received: Received[]; refused: string[] }> {
  const received: Received[] = [];
  const refused: string[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const id = (JSON.parse(body) as { id: string }).id;
      if (!refused.includes(id)) {
        refused.push(id);
        response.writeHead(503).end();
        return;
      }
      received.push({ body, signature: request.headers['earshot-signature'] as string | undefined });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/alerts`, received, refused };
}

describe('evaluation: scorecards, outcomes, rollups, rankings and alerts (real Postgres, Redis, s3rver)', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;
  let risky: SampleCall;
  let compliant: SampleCall;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const callIds: Record<string, string> = {};

  const get = async (path: string) => {
    const response = await authFetch(`${baseUrl}${path}`);
    return { status: response.status, body: (await response.json()) as Json };
  };
  const send = async (method: string, path: string, body: unknown) => {
    const response = await authFetch(`${baseUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Json };
  };
  const upload = async (sample: SampleCall) => {
    const response = await uploadCall(baseUrl, uploadForm({ audio: sample.audio, metadata: sample.metadata, transcript: sample.transcript }));
    expect(response.status).toBe(201);
    const call = await waitForCall(baseUrl, response.body.id as string);
    expect(call.status).toBe('completed');
    callIds[sample.metadata.externalId as string] = call.id;
    return call;
  };

  beforeAll(async () => {
    receiver = await startReceiver();
    environment = await createTestEnvironment({ ALERT_WEBHOOK_URL: receiver.url, ALERT_WEBHOOK_SECRET: ALERT_SECRET, WEBHOOK_BACKOFF_MS: '50' });
    ({ app, baseUrl } = await startApi(environment.env));
    risky = await loadSample('en-guaranteed-returns');
    compliant = await loadSample('en-compliant');
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
    await new Promise((resolve) => receiver?.server.close(resolve));
  });

  it('auto-fails a call with a critical finding on the default scorecard and keeps each criterion with its finding ids', async () => {
    const call = await upload(risky);
    const evaluation = await get(`/v1/evaluation/calls/${call.id}`);
    expect(evaluation.status).toBe(200);
    expect(evaluation.body).toMatchObject({ score: 0, autoFailed: true, scorecardId: null, scorecardName: 'financial-telesales-default' });
    const criteria = evaluation.body.criteria as { criterionId: string; result: string; critical: boolean; findingIds: string[] }[];
    const returns = criteria.find((c) => c.criterionId === 'no_guaranteed_returns');
    const finding = call.findings.find((f) => f.family === 'guaranteed_returns');
    expect(returns).toMatchObject({ result: 'fail', critical: true });
    expect(returns?.findingIds).toContain(finding?.id);
    expect(criteria.length).toBeGreaterThan(3);
  }, 60_000);

  it('stores versioned scorecards per campaign, refuses a bad one naming the field, and scores new calls on it', async () => {
    const bad = await send('POST', '/v1/campaigns/fund-q4/scorecards', {
      name: 'fund-q4-card',
      criteria: [{ id: 'x', label: 'X', weight: -1, critical: false, source: { kind: 'finding_absent', families: ['guaranteed_returns'] } }],
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.message)).toContain('criteria.0.weight');
    expect((await send('POST', '/v1/campaigns/no-such-campaign/scorecards', { name: 'n', criteria: [] })).status).toBe(400);

    const card = {
      name: 'fund-q4-card',
      criteria: [
        { id: 'no_returns_promise', label: 'No returns promise', weight: 1, critical: false, source: { kind: 'finding_absent', families: ['guaranteed_returns'] } },
        { id: 'no_abuse', label: 'No abuse', weight: 3, critical: false, source: { kind: 'finding_absent', families: ['abusive_language'] } },
      ],
    };
    const first = await send('POST', '/v1/campaigns/fund-q4/scorecards', card);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ name: 'fund-q4-card', version: 1, current: true });
    const second = await send('POST', '/v1/campaigns/fund-q4/scorecards', card);
    expect(second.body).toMatchObject({ version: 2, current: true });
    const list = await get('/v1/campaigns/fund-q4/scorecards');
    expect((list.body.items as Json[]).map((c) => [c.version, c.current])).toEqual([
      [2, true],
      [1, false],
    ]);

    const call = await upload(variant(risky, 'eval-risky-2'));
    const evaluation = await get(`/v1/evaluation/calls/${call.id}`);
    expect(evaluation.body).toMatchObject({ scorecardId: second.body.id, scorecardVersion: 2, autoFailed: false, score: 75 });
  }, 60_000);

  it('re-scores earlier calls of the campaign in bulk', async () => {
    const first = callIds['demo-en-001'];
    const response = await send('POST', '/v1/evaluation/rescore', { campaign: 'fund-q4' });
    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({ status: 'queued', progressUrl: `/v1/evaluation/rescore/${response.body.jobId}` });
    let progress: Json = {};
    for (const until = Date.now() + 20_000; Date.now() < until && progress.state !== 'completed'; await sleep(100)) {
      progress = (await get(response.body.progressUrl as string)).body;
    }
    expect(progress).toMatchObject({ state: 'completed' });
    expect(progress.total).toBeGreaterThanOrEqual(2);
    expect(progress.queued).toBe(progress.total);
    expect((await get('/v1/evaluation/rescore/99999999')).status).toBe(404);
    expect((await send('POST', '/v1/evaluation/rescore', { callIds: ['not-a-uuid'] })).body.message).toEqual([
      expect.stringContaining('callIds:'),
    ]);
    const deadline = Date.now() + 20_000;
    let evaluation: Json = {};
    while (Date.now() < deadline) {
      evaluation = (await get(`/v1/evaluation/calls/${first}`)).body;
      if (evaluation.scorecardName === 'fund-q4-card') break;
      await sleep(100);
    }
    expect(evaluation).toMatchObject({ scorecardName: 'fund-q4-card', score: 75, autoFailed: false });
  }, 30_000);

  it('imports outcomes as JSON and CSV, reports unknown call ids, and updates the agent scorecard', async () => {
    const json = await send('POST', '/v1/outcomes', {
      outcomes: [
        { callId: 'demo-en-001', disposition: 'connected', intentConfirmed: true, sale: true, csat: 4 },
        { callId: 'no-such-call', csat: 5 },
      ],
    });
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({ received: 2, applied: 1, unknownCallIds: [{ source: 'outcomes.1', callId: 'no-such-call' }] });

    const invalid = await send('POST', '/v1/outcomes', { outcomes: [{ callId: 'demo-en-001', csat: 9 }] });
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body.message)).toContain('outcomes.0.csat');

    const form = new FormData();
    const csv = `call_id,intent_confirmed,sale,csat\n${callIds['eval-risky-2']},yes,no,2\n00000000-0000-4000-8000-000000000000,no,no,3\n`;
    form.set('file', new Blob([csv], { type: 'text/csv' }), 'outcomes.csv');
    const imported = await authFetch(`${baseUrl}/v1/outcomes/csv`, { method: 'POST', body: form });
    expect(imported.status).toBe(200);
    expect(await imported.json()).toMatchObject({ applied: 1, unknownCallIds: [{ source: 'rows.3', callId: '00000000-0000-4000-8000-000000000000' }] });

    // the imports queued the touched calls' rollups: the scorecard catches up once the worker ran them
    let scorecard = await get(`/v1/evaluation/agents/agent-001?${PERIOD}&granularity=week`);
    for (const until = Date.now() + 15_000; Date.now() < until; await sleep(100)) {
      scorecard = await get(`/v1/evaluation/agents/agent-001?${PERIOD}&granularity=week`);
      if ((scorecard.body.dimensions as { experience: { csatCount: number } }).experience.csatCount === 2) break;
    }
    expect(scorecard.status).toBe(200);
    const dims = scorecard.body.dimensions as { conversion: Json; experience: Json; qaScore: Json };
    expect(scorecard.body.calls).toBe(2);
    expect(dims.conversion).toMatchObject({ intentCalls: 2, sales: 1, saleFromIntentRate: 0.5 });
    expect(dims.experience).toMatchObject({ csatMean: 3, csatCount: 2 });
    expect(dims.qaScore).toMatchObject({ mean: 75, scoredCalls: 2 });
    expect((scorecard.body.trend as { buckets: Json[] }).buckets).toEqual([expect.objectContaining({ period: '2026-11-16', calls: 2 })]);
  }, 30_000);

  it('drills down team -> group -> agent and ranks only agents with the minimum sample', async () => {
    await upload(compliant);
    const team = await get(`/v1/evaluation/teams/${encodeURIComponent('Outbound sales')}?${PERIOD}`);
    expect(team.status).toBe(200);
    expect(team.body.calls).toBe(3);
    const groups = team.body.groups as { name: string; calls: number; agents: { externalId: string; calls: number }[] }[];
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ name: 'Wealth desk A', calls: 3 });
    expect(groups[0].agents.map((a) => [a.externalId, a.calls]).sort()).toEqual([
      ['agent-001', 2],
      ['agent-002', 1],
    ]);

    const campaign = await get(`/v1/evaluation/campaigns/fund-q4?${PERIOD}&granularity=week`);
    expect(campaign.status).toBe(200);
    expect(campaign.body).toMatchObject({ calls: 3, campaign: { externalId: 'fund-q4' } });
    expect((campaign.body.dimensions as { conversion: Json }).conversion).toMatchObject({ intentCalls: 2, sales: 1 });

    const ranking = await get(`/v1/evaluation/rankings?metric=qaScoreMean&minSample=2&${PERIOD}`);
    expect(ranking.status).toBe(200);
    expect(ranking.body.eligible).toBe(1);
    expect(ranking.body.excluded).toEqual([expect.objectContaining({ externalId: 'agent-002', reason: 'below_min_sample', sample: 1 })]);
    const rates = await get(`/v1/evaluation/rankings?metric=connectRate&minSample=1&${PERIOD}`);
    const top = rates.body.top as { ci: { low: number; high: number } | null; value: number }[];
    expect(top[0].ci?.low).toBeLessThanOrEqual(top[0].value);
    expect((await get('/v1/evaluation/rankings?metric=nope')).body.message).toEqual([expect.stringContaining('query.metric')]);
  }, 60_000);

  it('raises one alert per crossing, not one per result while it stays crossed', async () => {
    const badRules = await send('PUT', '/v1/thresholds', { thresholds: [{ id: 'x', metric: 'complaintRate', op: '>', value: 0.1, clearAt: 0.5, severity: 'warning', description: 'd' }] });
    expect(badRules.status).toBe(400);
    expect(JSON.stringify(badRules.body.message)).toContain('thresholds.0.clearAt');
    const put = await send('PUT', '/v1/thresholds', {
      thresholds: [{ id: 'complaint_rate', metric: 'complaintRate', op: '>', value: 0.005, minSample: 1, severity: 'warning', description: 'Complaint rate above 0.5%' }],
    });
    expect(put.status).toBe(200);

    // outcomes are applied in the request; the rollups they queue judge the thresholds in the worker
    const complaintRollups = async (expected: number) => {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const scorecard = await get(`/v1/evaluation/agents/agent-001?${PERIOD}`);
        const complaints = (scorecard.body.dimensions as { compliance: { complaints: number } }).compliance.complaints;
        if (complaints >= expected || Date.now() > deadline) return complaints;
        await sleep(100);
      }
    };
    const complain = (callId: string, category: string) => send('POST', '/v1/outcomes', { outcomes: [{ callId, complaint: { category } }] });
    expect((await complain('demo-en-001', 'unsolicited_marketing')).body).toMatchObject({ applied: 1, rollupsQueued: 1 });
    expect(await complaintRollups(1)).toBe(1);
    // one complaint in the day's three calls crosses for the agent, and for its group, team and campaign
    let raised: unknown[] = [];
    for (const until = Date.now() + 15_000; Date.now() < until && raised.length < 4; await sleep(100)) {
      raised = (await get('/v1/alerts?thresholdId=complaint_rate')).body.items as unknown[];
    }
    expect(raised).toHaveLength(4);
    expect((await complain('eval-risky-2', 'content_violation')).body).toMatchObject({ applied: 1, rollupsQueued: 1 });
    expect((await complain('demo-en-001', 'unsolicited_marketing')).body).toMatchObject({ applied: 1, rollupsQueued: 1 });
    expect(await complaintRollups(2)).toBe(2);

    const alerts = await get('/v1/alerts?thresholdId=complaint_rate&entityKind=agent');
    expect(alerts.body.items).toEqual([expect.objectContaining({ entityKind: 'agent', period: '2026-11-20', status: 'open', value: 0.5, sample: 2 })]);
    const levels = (await get('/v1/alerts?thresholdId=complaint_rate')).body.items as { entityKind: string; value: number; sample: number; entity: { name?: string } }[];
    expect(levels.map((a) => [a.entityKind, a.entity.name, a.value, a.sample]).sort()).toEqual([
      ['agent', expect.any(String), 0.5, 2],
      ['campaign', expect.any(String), 1 / 3, 3],
      ['group', 'Wealth desk A', 1 / 3, 3],
      ['team', 'Outbound sales', 1 / 3, 3],
    ]);
    const scorecard = await get(`/v1/evaluation/agents/agent-001?${PERIOD}`);
    expect((scorecard.body.dimensions as { compliance: Json }).compliance).toMatchObject({ complaints: 2, complaintRate: 1 });
    // the value when raised (1 of 2 calls) beside the value now (2 of 2)
    expect((await get('/v1/alerts?thresholdId=complaint_rate&entityKind=agent')).body.items).toEqual([expect.objectContaining({ value: 0.5, currentValue: 1 })]);

    // each delivery was refused once (503), retried, then accepted: the alert list shows it
    const deadline = Date.now() + 15_000;
    while (receiver.received.length < 4 && Date.now() < deadline) await sleep(100);
    const delivered = receiver.received.filter((r) => JSON.parse(r.body).type === 'alert.raised');
    expect(delivered).toHaveLength(4);
    expect(receiver.refused).toHaveLength(4);
    const agentAlert = delivered.map((d) => JSON.parse(d.body) as { data: Json }).find((d) => d.data.entityKind === 'agent');
    expect(agentAlert?.data).toMatchObject({ thresholdId: 'complaint_rate' });
    expect(verifyWebhookSignature(ALERT_SECRET, delivered[0].signature, delivered[0].body)).toBe(true);
    const listed = (await get('/v1/alerts?thresholdId=complaint_rate&entityKind=agent')).body.items as { id: string; delivery: Json }[];
    expect(listed[0].delivery).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 204 });
  }, 30_000);

  it('acknowledges an alert once, refuses a bad id naming the field, and filters by acknowledgement', async () => {
    const [alert] = (await get('/v1/alerts?thresholdId=complaint_rate&entityKind=team')).body.items as { id: string }[];
    expect((await send('POST', '/v1/alerts/not-an-id/acknowledge', {})).status).toBe(400);
    expect((await send('POST', '/v1/alerts/00000000-0000-4000-8000-000000000000/acknowledge', {})).status).toBe(404);
    const ack = await send('POST', `/v1/alerts/${alert.id}/acknowledge`, {});
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ id: alert.id, status: 'open', acknowledgedBy: expect.any(String) });
    const again = await send('POST', `/v1/alerts/${alert.id}/acknowledge`, {});
    expect(again.body.acknowledgedAt).toBe(ack.body.acknowledgedAt);
    expect(((await get('/v1/alerts?acknowledged=true')).body.items as { id: string }[]).map((a) => a.id)).toEqual([alert.id]);
    expect(((await get('/v1/alerts?acknowledged=false')).body.items as { id: string }[]).map((a) => a.id)).not.toContain(alert.id);
    expect((await get('/v1/alerts?acknowledged=maybe')).body.message).toEqual([expect.stringContaining('query.acknowledged')]);
  }, 30_000);

  it('judges every figure of every level, narrows the drill-down to a campaign and trends a team', async () => {
    const team = await get(`/v1/evaluation/teams/${encodeURIComponent('Outbound sales')}?${PERIOD}&campaign=fund-q4`);
    expect(team.status).toBe(200);
    expect(team.body.period).toMatchObject({ timeZone: 'UTC' });
    const figures = team.body.figures as Record<string, { state: string; sample: number; minSample: number }>;
    expect(figures.complaintRate).toMatchObject({ sample: 3, minSample: 1, state: 'alert' });
    expect(figures.csatMean).toMatchObject({ state: 'below_min_sample', minSample: 20 });
    const groups = team.body.groups as { figures: Record<string, { state: string }>; agents: { figures: Record<string, { state: string }> }[] }[];
    expect(groups[0].figures.complaintRate.state).toBe('alert');
    expect(groups[0].agents[0].figures.averageHandleSeconds.state).toBe('unjudged');
    const none = await get(`/v1/evaluation/teams/${encodeURIComponent('Outbound sales')}?${PERIOD}&campaign=other-campaign`);
    expect(none.status).toBe(404);
    const trend = await get(`/v1/evaluation/teams/${encodeURIComponent('Outbound sales')}/trend?${PERIOD}&granularity=day`);
    expect(trend.status).toBe(200);
    expect((trend.body.trend as { buckets: Json[] }).buckets).toEqual([expect.objectContaining({ period: '2026-11-20', calls: 3 })]);
    const group = await get(`/v1/evaluation/groups/${encodeURIComponent('Wealth desk A')}?${PERIOD}&granularity=week`);
    expect(group.body).toMatchObject({ calls: 3, group: { name: 'Wealth desk A' } });
    expect((await get(`/v1/evaluation/groups/nope?${PERIOD}`)).status).toBe(404);

    const calls = await get(`/v1/evaluation/agents/agent-001/calls?${PERIOD}&limit=1`);
    expect(calls.status).toBe(200);
    const worst = calls.body.worst as { score: number }[];
    const best = calls.body.best as { score: number }[];
    expect(worst).toHaveLength(1);
    expect(worst[0].score).toBeLessThanOrEqual(best[0].score);
    expect((await get(`/v1/evaluation/agents/agent-001/calls?limit=0`)).body.message).toEqual([expect.stringContaining('query.limit')]);
  }, 30_000);

  it('queues one judgement per level day and second, however many calls of the level finish in it', async () => {
    const queues = app.get(JobQueues);
    const level = { level: 'team' as const, id: randomUUID(), day: '2026-11-26', timeZone: 'UTC' };
    const other = { ...level, level: 'campaign' as const, id: randomUUID() };
    // a second well ahead, so the jobs are still waiting when they are counted
    const second = Math.floor(Date.now() / 1000) + 3600;
    const queue = queues.queue(SideQueueName.LevelAlerts);
    const adds = jest.spyOn(queue, 'addBulk');
    for (let call = 0; call < 20; call++) await queues.enqueueLevelJudgements([level, other], second * 1000 + call * 40);
    await queues.enqueueLevelJudgements([level], (second + 1) * 1000);
    // what this process queued in a second it does not send again
    expect(adds).toHaveBeenCalledTimes(2);
    adds.mockRestore();
    const jobs = (await queue.getDelayed()).filter((j) => j.data.id === level.id || j.data.id === other.id);
    expect(jobs.map((j) => j.id).sort()).toEqual([`campaign.${other.id}.2026-11-26.${second}`, `team.${level.id}.2026-11-26.${second + 1}`, `team.${level.id}.2026-11-26.${second}`].sort());
    // each runs after the end of its second (queued at its start here), when every rollup of that second has committed
    expect(jobs.map((j) => j.delay)).toEqual([1100, 1100, 1100]);
    await Promise.all(jobs.map((j) => j.remove()));
  });

  it('raises "no effective call in 30 minutes" for a group, team and campaign whose agents take turns on short calls, not for either agent', async () => {
    const put = await send('PUT', '/v1/thresholds', {
      thresholds: [{ id: 'no_effective_call', metric: 'activeMinutesWithoutEffectiveCall', op: '>=', value: 30, severity: 'warning', description: 'No effective call in 30 minutes' }],
    });
    expect(put.status).toBe(200);
    // 32-second calls every 10 minutes, agents alternating: each agent idles 19 minutes between calls (a break), the group never does
    const minutes = [0, 10, 20, 30];
    for (const [i, minute] of minutes.entries()) {
      const sample = variant(compliant, `night-${i}`);
      const startedAt = new Date(Date.UTC(2026, 10, 25, 2, minute)).toISOString();
      await upload({
        ...sample,
        metadata: { ...sample.metadata, agentExternalId: `night-agent-${i % 2}`, agentName: `Night ${i % 2}`, groupName: 'Night desk', teamName: 'Night team', startedAt },
      });
    }
    // group, team and campaign days are judged by their own job within about a second of the calls' rollups
    let alerts: { entityKind: string; period: string; value: number; entity: { name?: string } }[] = [];
    for (const until = Date.now() + 15_000; Date.now() < until && alerts.length < 3; await sleep(100)) {
      alerts = (await get('/v1/alerts?thresholdId=no_effective_call')).body.items as typeof alerts;
    }
    expect(alerts.map((a) => [a.entityKind, a.entity.name, a.period]).sort()).toEqual([
      ['campaign', expect.any(String), '2026-11-25'],
      ['group', 'Night desk', '2026-11-25'],
      ['team', 'Night team', '2026-11-25'],
    ]);
    expect(alerts[0].value).toBeGreaterThanOrEqual(30);
  }, 90_000);
});
