// Regenerates the JSON Schemas the OpenAPI document takes from TypeScript: apps/api/src/common/api-contract.schemas.ts
// (the API's response types in libs/api-contract) and apps/api/src/common/api-answers.schemas.ts (what every controller
// method returns, by operationId). Run `npm run openapi:contract` after changing either; a unit test fails until then.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { answerSchemas, renderAnswerModule } from './openapi-answer-schemas.js';
import { contractSchemas, renderContractModule } from './openapi-contract-schemas.js';

const root = join(import.meta.dirname, '..', '..');
const contract = contractSchemas(root);
const targets = {
  'apps/api/src/common/api-contract.schemas.ts': renderContractModule(contract),
  'apps/api/src/common/api-answers.schemas.ts': renderAnswerModule(answerSchemas(root, new Set(Object.keys(contract)))),
};
for (const [path, text] of Object.entries(targets)) {
  writeFileSync(join(root, path), text);
  console.log(`wrote ${path}`);
}
