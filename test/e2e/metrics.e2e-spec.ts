import type { INestApplication } from '@nestjs/common';
import parsePrometheusTextFormat, { type PrometheusFamily } from 'parse-prometheus-text-format';
import { QueueName, SideQueueName } from '#libs/queue';
import { freePort } from '../../scripts/free-port.js';
import { type TestEnvironment, createTestEnvironment, loadSample, startApi, uploadCall, uploadForm, waitForCall } from '../support/earshot-harness.js';
import { type FakeOpenAi, startFakeOpenAi } from '../support/fake-openai-server.js';

const TOKEN = 'metrics-token-for-the-e2e-test';
const API_KEY = 'sk-metrics-e2e';

describe('Prometheus metrics', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let baseUrl: string;
  let metricsPort: number;
  let fake: FakeOpenAi;

  beforeAll(async () => {
    metricsPort = await freePort();
    fake = await startFakeOpenAi({ apiKey: API_KEY });
    environment = await createTestEnvironment({
      METRICS_TOKEN: TOKEN,
      METRICS_PORT: String(metricsPort),
      HOST: '127.0.0.1',
      TRANSCRIPTION_PROVIDER: 'openai',
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_API_KEY: API_KEY,
    });
    ({ app, baseUrl } = await startApi(environment.env));
    const sample = await loadSample('en-guaranteed-returns');
    const upload = await uploadCall(baseUrl, uploadForm({ audio: sample.audio, metadata: sample.metadata, transcript: sample.transcript }));
    expect(upload.status).toBe(201);
    expect((await waitForCall(baseUrl, upload.body.id as string)).status).toBe('completed');
  }, 90_000);

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
    await fake?.stop();
  });

  let lastText = '';
  const scrape = async (url: string): Promise<Map<string, PrometheusFamily>> => {
    const response = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    lastText = await response.text();
    const families = parsePrometheusTextFormat(lastText);
    return new Map(families.map((family) => [family.name, family]));
  };
  // the parser folds a labelled histogram's series into one; its _count samples keep their labels in the text
  const histogramCounts = (name: string): { labels: Record<string, string>; count: number }[] =>
    [...lastText.matchAll(new RegExp(`^${name}_count\\{([^}]*)\\} (\\S+)$`, 'gm'))].map((match) => ({
      labels: Object.fromEntries([...match[1].matchAll(/(\w+)="([^"]*)"/g)].map((label) => [label[1], label[2]])),
      count: Number(match[2]),
    }));
  const value = (family: PrometheusFamily | undefined, labels: Record<string, string>): number =>
    Number(family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value ?? NaN);

  it('refuses a scrape without the token, on the API port and on the metrics port', async () => {
    expect((await fetch(`${baseUrl}/metrics`)).status).toBe(401);
    expect((await fetch(`${baseUrl}/metrics`, { headers: { authorization: 'Bearer wrong-token-of-some-length' } })).status).toBe(401);
    expect((await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).status).toBe(401);
  });

  it('keeps /metrics closed on the API port when METRICS_TOKEN is unset', async () => {
    const other = await createTestEnvironment();
    const { app: plain, baseUrl: plainUrl } = await startApi({ ...other.env, METRICS_TOKEN: '', METRICS_PORT: '' }, { withWorker: false });
    try {
      const response = await fetch(`${plainUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(response.status).toBe(401);
      expect(((await response.json()) as { message: string }).message).toMatch(/set METRICS_TOKEN/);
    } finally {
      await plain.close();
      await other.dispose();
    }
  }, 60_000);

  it('counts HTTP requests by route template and status, stage jobs, finished calls and process metrics', async () => {
    const families = await scrape(`${baseUrl}/metrics`);
    const http = families.get('earshot_http_request_duration_seconds');
    expect(http?.type).toBe('HISTOGRAM');
    const series = histogramCounts('earshot_http_request_duration_seconds');
    const uploads = series.find(({ labels }) => labels.route === '/v1/calls' && labels.method === 'POST' && labels.status === '201');
    expect(uploads?.count).toBeGreaterThanOrEqual(1);
    // ids never become labels
    expect(series.some(({ labels }) => /[0-9a-f]{8}-[0-9a-f]{4}/.test(labels.route))).toBe(false);
    expect(series.some(({ labels }) => labels.route === '/v1/calls/:id' && labels.status === '200')).toBe(true);

    const jobs = families.get('earshot_stage_jobs_total');
    for (const stage of ['transcribe', 'analyse-audio', 'check', 'score', 'clip', 'rollup']) {
      expect(value(jobs, { stage, outcome: 'completed' })).toBeGreaterThanOrEqual(1);
    }
    expect(families.get('earshot_stage_duration_seconds')?.type).toBe('HISTOGRAM');
    const analysed = histogramCounts('earshot_stage_duration_seconds').find(({ labels }) => labels.stage === 'analyse-audio' && labels.outcome === 'completed');
    expect(analysed?.count).toBeGreaterThanOrEqual(1);
    expect(value(families.get('earshot_calls_finished_total'), { status: 'completed' })).toBeGreaterThanOrEqual(1);
    // the sample promises guaranteed returns: critical rule findings of that family
    expect(value(families.get('earshot_findings_total'), { family: 'guaranteed_returns', severity: 'critical', source: 'rule' })).toBeGreaterThanOrEqual(1);
    expect(families.get('process_cpu_user_seconds_total')?.type).toBe('COUNTER');
    expect(families.has('nodejs_eventloop_lag_seconds')).toBe(true);
  });

  it('reports every queue depth and the oldest waiting job age', async () => {
    const families = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
    for (const queue of [...Object.values(QueueName), ...Object.values(SideQueueName)]) {
      expect(value(families.get('earshot_queue_jobs'), { queue, state: 'waiting' })).toBe(0);
      expect(value(families.get('earshot_queue_oldest_waiting_seconds'), { queue })).toBe(0);
    }
    expect(value(families.get('earshot_queue_jobs'), { queue: 'analysis', state: 'failed' })).toBe(0);
  });

  it("times every transcription request and counts the provider's errors by class", async () => {
    const ok = await loadSample('en-compliant');
    const answered = await uploadCall(baseUrl, uploadForm({ audio: ok.audio, metadata: ok.metadata }));
    expect(answered.status).toBe(201);
    expect((await waitForCall(baseUrl, answered.body.id as string)).status).toBe('completed');

    // one channel is rate limited, then the provider says the key is wrong: a permanent failure of the call
    fake.script(
      { status: 429, headers: { 'retry-after-ms': '10' }, body: { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } } },
      { status: 401, body: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } } },
      { status: 401, body: { error: { message: 'Incorrect API key provided', type: 'invalid_request_error' } } },
    );
    const bad = await loadSample('zh-compliant');
    const rejected = await uploadCall(baseUrl, uploadForm({ audio: bad.audio, metadata: bad.metadata }));
    expect(rejected.status).toBe(201);
    const failed = await waitForCall(baseUrl, rejected.body.id as string);
    expect(failed.status).toBe('failed');
    expect(failed.failure?.stage).toBe('transcribe');

    // the other channel's retry may still be on its way when the call is marked failed: scrape until it is counted
    const errors = (families: Map<string, PrometheusFamily>, errorClass: string) =>
      value(families.get('earshot_transcription_provider_errors_total'), { provider: 'openai', model: 'whisper-1', error_class: errorClass });
    let families = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
    for (const deadline = Date.now() + 10_000; !(errors(families, 'authentication') >= 1 && errors(families, 'rate_limited') === 1) && Date.now() < deadline; ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      families = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
    }
    expect(families.get('earshot_transcription_provider_errors_total')?.type).toBe('COUNTER');
    expect(errors(families, 'rate_limited')).toBe(1);
    expect(errors(families, 'authentication')).toBeGreaterThanOrEqual(1);
    expect(errors(families, 'server_error')).toBeNaN();

    expect(families.get('earshot_transcription_provider_request_duration_seconds')?.type).toBe('HISTOGRAM');
    const requests = histogramCounts('earshot_transcription_provider_request_duration_seconds');
    const of = (outcome: string) => requests.find(({ labels }) => labels.provider === 'openai' && labels.model === 'whisper-1' && labels.outcome === outcome)?.count ?? 0;
    // the answered stereo call: one request per channel
    expect(of('ok')).toBe(2);
    expect(of('error')).toBe(errors(families, 'rate_limited') + errors(families, 'authentication'));
    expect(value(families.get('earshot_stage_jobs_total'), { stage: 'transcribe', outcome: 'failed', reason: 'permanent' })).toBe(1);
  }, 60_000);
});
