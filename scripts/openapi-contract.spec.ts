import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contractSchemas, renderContractModule } from './openapi-contract-schemas.js';

const root = join(import.meta.dirname, '..');

describe('API contract schemas', () => {
  it('the committed schemas match libs/api-contract (else run npm run openapi:contract)', () => {
    const committed = readFileSync(join(root, 'apps/api/src/common/api-contract.schemas.ts'), 'utf8');
    expect(committed).toBe(renderContractModule(contractSchemas(root)));
  });

  it('describes the call view with its findings and failure', () => {
    const schemas = contractSchemas(root) as Record<string, { properties?: Record<string, unknown>; required?: string[] }>;
    expect(schemas.CallDetailsView.required).toEqual(expect.arrayContaining(['id', 'status', 'findings', 'failure', 'transcript']));
    expect(schemas.CallDetailsView.properties?.findings).toEqual({ type: 'array', items: { $ref: '#/components/schemas/CallFindingView' } });
  });
});
