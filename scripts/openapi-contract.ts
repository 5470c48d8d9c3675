// Regenerates apps/api/src/common/api-contract.schemas.ts: JSON Schemas of the API's response types (libs/api-contract),
// for the OpenAPI document. Run `npm run openapi:contract` after changing libs/api-contract; a unit test fails until then.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contractSchemas, renderContractModule } from './openapi-contract-schemas.js';

const target = join(import.meta.dirname, '..', '..', 'apps/api/src/common/api-contract.schemas.ts');
writeFileSync(target, renderContractModule(contractSchemas(join(import.meta.dirname, '..', '..'))));
console.log(`wrote ${target}`);

