import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerSchemas, renderAnswerModule } from './openapi-answer-schemas.js';
import { contractSchemas, renderContractModule } from './openapi-contract-schemas.js';

const root = join(import.meta.dirname, '..');

describe('API contract schemas', () => {
  const contract = contractSchemas(root);

  it('the committed schemas match libs/api-contract (else run npm run openapi:contract)', () => {
    const committed = readFileSync(join(root, 'apps/api/src/common/api-contract.schemas.ts'), 'utf8');
    expect(committed).toBe(renderContractModule(contract));
  });

  it('describes the call view with its findings and failure', () => {
    const schemas = contract as Record<string, { properties?: Record<string, unknown>; required?: string[] }>;
    expect(schemas.CallDetailsView.required).toEqual(expect.arrayContaining(['id', 'status', 'findings', 'failure', 'transcript']));
    expect(schemas.CallDetailsView.properties?.findings).toEqual({ type: 'array', items: { $ref: '#/components/schemas/CallFindingView' } });
  });

  describe("the controllers' answers", () => {
    const answers = answerSchemas(root, new Set(Object.keys(contract)));

    it('the committed schemas match what the controllers return (else run npm run openapi:contract)', () => {
      const committed = readFileSync(join(root, 'apps/api/src/common/api-answers.schemas.ts'), 'utf8');
      expect(committed).toBe(renderAnswerModule(answers));
    });

    it('reads inferred return types: contract types stay references, Dates are date-time strings, null and optional kept', () => {
      expect(answers.operations.CallsController_get).toEqual({ $ref: '#/components/schemas/CallDetailsView' });
      expect(answers.operations.EvaluationController_rescore).toEqual({
        type: 'object',
        properties: { jobId: { type: 'string' }, status: { type: 'string', const: 'queued' }, progressUrl: { type: 'string' } },
        required: ['jobId', 'status', 'progressUrl'],
      });
      expect(answers.operations.EvaluationController_call).toEqual({ $ref: '#/components/schemas/CallEvaluationRecord' });
      const evaluation = answers.components.CallEvaluationRecord as { properties: Record<string, unknown>; required: string[] };
      expect(evaluation.properties.updatedAt).toEqual({ type: 'string', format: 'date-time' });
      expect(evaluation.properties.scorecardId).toEqual({ type: ['string', 'null'] });
      expect(evaluation.required).toEqual(expect.arrayContaining(['score', 'autoFailed', 'criteria']));
    });

    it('leaves out the routes that write their own response (archives, metrics, the queue dashboard)', () => {
      expect(answers.operations.EvidenceController_bundle).toBeUndefined();
      expect(answers.operations.MetricsController_scrape).toBeUndefined();
      expect(answers.operations.LibraryCollectionsController_export).toBeUndefined();
    });
  });
});
