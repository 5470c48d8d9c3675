import type { INestApplication } from '@nestjs/common';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { type TestEnvironment, authFetch, createTestEnvironment, loadSample, startApi, uploadCall, uploadForm, waitForCall } from '../support/earshot-harness.js';

type Operation = {
  security?: unknown[];
  requestBody?: { content: Record<string, { schema?: unknown }> };
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  'x-roles'?: string[];
};
type OpenApiDocument = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> } };

/** success statuses without a body */
const NO_BODY = new Set(['204', '302', '304']);

describe('OpenAPI document (issue 17 item 7)', () => {
  let environment: TestEnvironment;
  let app: INestApplication;
  let document: OpenApiDocument;
  let baseUrl: string;

  beforeAll(async () => {
    environment = await createTestEnvironment();
    ({ app, baseUrl } = await startApi(environment.env));
    const response = await authFetch(`${baseUrl}/docs-json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as OpenApiDocument;
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await environment?.dispose();
  });

  const operations = () =>
    Object.entries(document.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ name: `${method} ${path}`, method, operation })));

  it('is a valid OpenAPI 3 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(document as unknown as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toMatch(/^3\./);
  });

  it('public routes need no credentials; every other one needs the bearer token', () => {
    const open = operations().filter(({ operation }) => Array.isArray(operation.security) && operation.security.length === 0).map(({ name }) => name).sort();
    expect(open).toEqual(['get /health', 'post /v1/auth/login']);
  });

  it('every write that takes a body has a request schema, and every success answer with a body a response schema', () => {
    const withoutBody = operations()
      .filter(({ method }) => ['post', 'put', 'patch'].includes(method))
      .filter(({ operation }) => !Object.values(operation.requestBody?.content ?? {}).some((media) => media.schema))
      .map(({ name }) => name);
    // a new write without a request schema fails here (or says it takes no body by joining BODYLESS_WRITES)
    expect(withoutBody.sort()).toEqual([...BODYLESS_WRITES].sort());
    const withoutResponse = operations().flatMap(({ name, operation }) => {
      const success = Object.entries(operation.responses).filter(([status]) => /^2/.test(status));
      if (success.length === 0) return [`${name}: no success status`];
      return success
        // an answer typed any or unknown documents nothing: it counts as missing
        .filter(([status, answer]) => !NO_BODY.has(status) && !Object.values(answer.content ?? {}).some((media) => media.schema && Object.keys(media.schema).length > 0))
        .map(([status]) => `${name} ${status}`);
    });
    expect(withoutResponse).toEqual([]);
    // the answers come from the controllers' return types: a few spot checks that they are the payloads, not stubs
    const schemaOf = (path: string, method: string, status: string) => document.paths[path][method].responses[status].content?.['application/json']?.schema;
    expect(schemaOf('/v1/evaluation/rescore', 'post', '202')).toMatchObject({ required: ['jobId', 'status', 'progressUrl'] });
    expect(schemaOf('/v1/calls/{id}/status', 'get', '200')).toMatchObject({ properties: { status: { $ref: '#/components/schemas/CallStatus' } } });
    expect(document.paths['/v1/calls/{id}/evidence-bundle'].get.responses['200'].content).toEqual({ 'application/zip': { schema: { type: 'string', contentMediaType: 'application/zip' } } });
  });

  describe('real answers match their documented schemas', () => {
    let ajv: Ajv2020;
    let callId: string;
    let uploaded: { status: number; body: unknown };

    /** the documented schema of method path status, with the document's components to resolve its $refs */
    const validatorOf = (method: string, path: string, status: string) => {
      const schema = document.paths[path]?.[method]?.responses[status]?.content?.['application/json']?.schema as Record<string, unknown> | undefined;
      if (!schema) throw new Error(`${method} ${path} ${status} has no JSON schema`);
      const id = `${method} ${path} ${status}`;
      return ajv.getSchema(id) ?? ajv.compile({ $id: id, components: document.components, ...schema });
    };
    const expectDocumented = async (method: string, path: string, url: string, status = '200') => {
      const response = await authFetch(`${baseUrl}${url}`);
      expect(`${url} ${response.status}`).toBe(`${url} ${status}`);
      const body = (await response.json()) as unknown;
      const validate = validatorOf(method, path, status);
      validate(body);
      expect({ url, errors: validate.errors ?? [] }).toEqual({ url, errors: [] });
      return body;
    };

    beforeAll(async () => {
      // strict off: the document's schemas carry OpenAPI keywords (example, components) that are not JSON Schema
      ajv = new Ajv2020({ strict: false, allErrors: true });
      addFormats.default(ajv);
      const sample = await loadSample('en-guaranteed-returns');
      uploaded = await uploadCall(baseUrl, uploadForm({ audio: sample.audio, metadata: sample.metadata, transcript: sample.transcript }));
      callId = (uploaded.body as { id: string }).id;
      const call = await waitForCall(baseUrl, callId);
      expect(call.status).toBe('completed');
      expect(call.findings.length).toBeGreaterThan(0);
    }, 60_000);

    it('the upload, the call view, its status and the call list', async () => {
      expect(uploaded.status).toBe(201);
      const validate = validatorOf('post', '/v1/calls', '201');
      expect(validate(uploaded.body) || validate.errors).toBe(true);
      const view = (await expectDocumented('get', '/v1/calls/{id}', `/v1/calls/${callId}`)) as { findings: unknown[]; evaluation: unknown };
      expect(view.findings.length).toBeGreaterThan(0);
      expect(view.evaluation).not.toBeNull();
      await expectDocumented('get', '/v1/calls/{id}/status', `/v1/calls/${callId}/status`);
      await expectDocumented('get', '/v1/calls', '/v1/calls');
    });

    it('the findings list, its counts and the evaluation of a call, an agent and the teams', async () => {
      const findings = (await expectDocumented('get', '/v1/findings', '/v1/findings')) as { items: unknown[] };
      expect(findings.items.length).toBeGreaterThan(0);
      await expectDocumented('get', '/v1/findings/counts', '/v1/findings/counts');
      const evaluation = (await expectDocumented('get', '/v1/evaluation/calls/{callId}', `/v1/evaluation/calls/${callId}`)) as { criteria: unknown[] };
      expect(evaluation.criteria.length).toBeGreaterThan(0);
      await expectDocumented('get', '/v1/evaluation/agents/{agent}', '/v1/evaluation/agents/agent-001?from=2026-11-01&to=2026-11-30');
      await expectDocumented('get', '/v1/evaluation/agents/{agent}/calls', '/v1/evaluation/agents/agent-001/calls?from=2026-11-01&to=2026-11-30');
      await expectDocumented('get', '/v1/evaluation/teams', '/v1/evaluation/teams?from=2026-11-01&to=2026-11-30');
    });

    it('health, the rule packs and the scorecard', async () => {
      await expectDocumented('get', '/health', '/health');
      await expectDocumented('get', '/v1/rule-packs', '/v1/rule-packs');
      await expectDocumented('get', '/v1/scorecards/default', '/v1/scorecards/default');
    });

    it.each([
      ['/v1/audit', '/v1/audit'],
      ['/v1/audit/verify', '/v1/audit/verify'],
      ['/v1/alerts', '/v1/alerts'],
      ['/v1/thresholds', '/v1/thresholds'],
      ['/v1/campaigns', '/v1/campaigns'],
      ['/v1/campaigns/{campaign}', '/v1/campaigns/fund-q4'],
      ['/v1/campaigns/{campaign}/rule-packs', '/v1/campaigns/fund-q4/rule-packs'],
      ['/v1/rules/precision', '/v1/rules/precision'],
      ['/v1/evaluation/rankings', '/v1/evaluation/rankings?metric=qaScoreMean&from=2026-11-01&to=2026-11-30&minSample=0'],
      ['/v1/evaluation/campaigns/{campaign}', '/v1/evaluation/campaigns/fund-q4?from=2026-11-01&to=2026-11-30'],
      ['/v1/opt-outs', '/v1/opt-outs'],
      ['/v1/retention/schedule', '/v1/retention/schedule'],
      ['/v1/users', '/v1/users'],
      ['/v1/auth/me', '/v1/auth/me'],
    ])('GET %s', async (path, url) => {
      await expectDocumented('get', path, url);
    });

    it('a call\'s evaluation history, its waveform and a rule pack', async () => {
      await expectDocumented('get', '/v1/calls/{id}/evaluation/history', `/v1/calls/${callId}/evaluation/history`);
      await expectDocumented('get', '/v1/calls/{id}/waveform', `/v1/calls/${callId}/waveform`);
      const packs = (await expectDocumented('get', '/v1/rule-packs', '/v1/rule-packs')) as { items: { key: string }[] };
      await expectDocumented('get', '/v1/rule-packs/{key}', `/v1/rule-packs/${packs.items[0].key}`);
    });

    it('the validator is not vacuous: a call view without its findings, or with a wrong status, fails', async () => {
      const view = (await (await authFetch(`${baseUrl}/v1/calls/${callId}`)).json()) as Record<string, unknown>;
      const validate = validatorOf('get', '/v1/calls/{id}', '200');
      expect(validate(view)).toBe(true);
      const { findings: _findings, ...withoutFindings } = view;
      expect(validate(withoutFindings)).toBe(false);
      expect(validate({ ...view, status: 'lost' })).toBe(false);
    });
  });

  it('documents the upload metadata and the call view field by field', () => {
    const upload = document.paths['/v1/calls'].post;
    const form = upload.requestBody?.content['multipart/form-data']?.schema as { properties: Record<string, { $ref?: string; contentMediaType?: string }> };
    expect(form.properties.metadata).toMatchObject({ contentMediaType: 'application/json' });
    const metadata = document.components.schemas.CallMetadataDto;
    expect(metadata.required).toEqual(expect.arrayContaining(['agentExternalId', 'customerPhone', 'direction', 'startedAt', 'channelLayout']));
    const view = document.paths['/v1/calls/{id}'].get.responses['200'].content?.['application/json']?.schema;
    expect(view).toEqual({ $ref: '#/components/schemas/CallDetailsView' });
    expect(Object.keys(document.components.schemas.CallDetailsView.properties ?? {})).toEqual(expect.arrayContaining(['transcript', 'findings', 'evaluation', 'failure', 'audio']));
  });
});

/** writes that take no body (the id in the path says it all) */
const BODYLESS_WRITES = [
  'post /v1/auth/logout',
  'post /v1/retention/sweep',
  'post /v1/alerts/{id}/acknowledge',
  'post /v1/audit/anchor',
  'post /v1/rule-backtests/{id}/cancel',
];
