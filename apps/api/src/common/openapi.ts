import { applyDecorators, type INestApplication, type Type } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiExtraModels, ApiResponse, DocumentBuilder, type OpenAPIObject, SwaggerModule, getSchemaPath } from '@nestjs/swagger';
import { thresholdsJsonSchema } from '#libs/evaluation-model';
import { scorecardJsonSchema } from '#libs/scoring';
import { API_ANSWER_SCHEMAS } from './api-answers.schemas.js';
import { API_CONTRACT_SCHEMAS } from './api-contract.schemas.js';

/** the security scheme of /metrics: its own token, not a session */
export const METRICS_SECURITY = 'metrics-token';

type ContractType = keyof typeof API_CONTRACT_SCHEMAS & string;

/** A JSON request body validated by this DTO class (validateDto), documented from its @ApiProperty fields. */
export const ApiJsonBody = (dto: Type) => applyDecorators(ApiExtraModels(dto), ApiBody({ schema: { $ref: getSchemaPath(dto) } }));

type AnySchema = Record<string, unknown>;

/**
 * A request body described by a JSON Schema of its own (bodies checked by a zod schema or a hand parser, multipart
 * forms). Typed loosely: @nestjs/swagger's SchemaObject predates OpenAPI 3.1 keywords such as contentSchema.
 */
export const ApiBodySchema = (mediaType: string, schema: AnySchema) =>
  applyDecorators(ApiConsumes(mediaType), ApiBody({ schema } as Parameters<typeof ApiBody>[0]));

/** A JSON request body described by a JSON Schema of its own. */
export const ApiJsonBodySchema = (schema: AnySchema) => ApiBodySchema('application/json', schema);

/** The success answer, typed by libs/api-contract (the presenters are typed against the same types). */
export const ApiAnswer = (type: ContractType, status = 200, description?: string) =>
  ApiResponse({ status, description: description ?? type, schema: { $ref: `#/components/schemas/${type}` } });

/** A cursor page of a libs/api-contract type. */
export const ApiPageAnswer = (type: ContractType) =>
  ApiResponse({
    status: 200,
    description: `a page of ${type}`,
    schema: { type: 'object', required: ['items', 'nextCursor'], properties: { items: { type: 'array', items: { $ref: `#/components/schemas/${type}` } }, nextCursor: { type: ['string', 'null'] } } },
  });

/** A success answer that is not JSON (media, archives, pack files): by default bytes of each media type. */
export const ApiMediaAnswer = (mediaTypes: string[], options: { status?: number; description: string; schema?: AnySchema }) =>
  ApiResponse({
    status: options.status ?? 200,
    description: options.description,
    content: Object.fromEntries(mediaTypes.map((type) => [type, { schema: options.schema ?? { type: 'string', contentMediaType: type } }])),
  } as Parameters<typeof ApiResponse>[0]);

/** A success answer described by its own JSON Schema. */
export const ApiAnswerSchema = (schema: AnySchema, status = 200, description = 'the result') =>
  ApiResponse({ status, description, schema } as Parameters<typeof ApiResponse>[0]);

/** Builds the OpenAPI 3.1 document and serves it at /docs (UI) and /docs-json. */
export function setUpOpenApi(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setOpenAPIVersion('3.1.0')
      .setTitle('Earshot API')
      .setDescription('Speech-analytics quality inspection: calls, transcripts, findings, evaluations.')
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'a session token from POST /v1/auth/login, or an API key' })
      .addSecurityRequirements('bearer')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN (Prometheus scrapes)' }, METRICS_SECURITY)
      .build(),
  );
  completeDocument(document);
  SwaggerModule.setup('docs', app, document);
  return document;
}

/** success statuses that carry no body */
const NO_BODY = new Set(['204', '302', '304']);

type Answer = { description?: string; content?: Record<string, { schema?: unknown }> };

/**
 * What the decorators cannot say: the contract's schemas, each route's answer read from its controller method's return
 * type (api-answers.schemas.ts, generated), the error body, public routes without security.
 */
export function completeDocument(document: OpenAPIObject): void {
  document.components ??= {};
  const declared = document.components.schemas ?? {};
  const generated = { ...API_CONTRACT_SCHEMAS, ...API_ANSWER_SCHEMAS.components };
  const clash = Object.keys(generated).filter((name) => name in declared);
  if (clash.length > 0) throw new Error(`OpenAPI component names used twice (a DTO class and a TypeScript type): ${clash.join(', ')}`);
  document.components.schemas = { ...declared, ...(generated as NonNullable<typeof document.components.schemas>) };
  const answers: Record<string, object> = API_ANSWER_SCHEMAS.operations;
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods) as [string, { operationId?: string; security?: unknown[]; 'x-roles'?: string[]; responses?: Record<string, Answer> }][]) {
      if (!['get', 'put', 'post', 'patch', 'delete', 'head', 'options'].includes(method)) continue;
      // the document requires the bearer token globally; a public route says it needs nothing
      if (operation['x-roles']?.includes('public')) operation.security ??= [];
      operation.responses ??= {};
      const answer = operation.operationId ? answers[operation.operationId] : undefined;
      for (const [status, response] of Object.entries(operation.responses)) {
        if (!/^2/.test(status) || NO_BODY.has(status)) continue;
        const media = Object.entries(response.content ?? {});
        if (media.some(([, body]) => body.schema)) continue;
        if (answer) response.content = { 'application/json': { schema: answer } };
      }
      operation.responses.default ??= { description: `an error (4xx/5xx) of ${path}`, content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiErrorView' } } } };
    }
  }
}

/** Request bodies checked by schemas outside class-validator DTOs, in the document's terms. */
export const REQUEST_SCHEMAS = {
  scorecard(): Record<string, unknown> {
    const schema = scorecardJsonSchema() as { properties?: Record<string, unknown>; required?: string[]; $schema?: string };
    const { version: _version, ...properties } = schema.properties ?? {};
    delete schema.$schema;
    return { ...schema, properties, required: (schema.required ?? []).filter((name) => name !== 'version') };
  },
  thresholds(): Record<string, unknown> {
    const list = thresholdsJsonSchema();
    delete list.$schema;
    return { type: 'object', required: ['thresholds'], additionalProperties: false, properties: { thresholds: list } };
  },
};
