import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

type Schema = Record<string, unknown>;

const ROUTE_DECORATORS = new Set(['Get', 'Post', 'Put', 'Patch', 'Delete']);
/** past this depth a payload is documented as any JSON (none of ours nests so deep; it stops runaway recursion) */
const MAX_DEPTH = 16;

/**
 * JSON Schemas of what each API route answers, read from the TypeScript type its controller method returns (the
 * type the checker infers when the method is not annotated), keyed by the OpenAPI operationId (`Controller_method`).
 * Types declared in libs/api-contract stay $refs to their components; Dates become date-time strings, as JSON
 * serialises them. Methods that write the response themselves (@Res() without passthrough) return void and are left
 * out: they describe their media with ApiResponse.
 */
export function answerSchemas(repoRoot: string, contractNames: ReadonlySet<string>): AnswerSchemas {
  const config = ts.getParsedCommandLineOfConfigFile(join(repoRoot, 'tsconfig.json'), { incremental: false }, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!config) throw new Error('tsconfig.json could not be read');
  const controllers = listControllers(join(repoRoot, 'apps/api/src'));
  const program = ts.createProgram(controllers, { ...config.options, noEmit: true, incremental: false });
  const checker = program.getTypeChecker();
  const contractDir = join(repoRoot, 'libs/api-contract');
  const out: Record<string, Schema> = {};
  // Nest names the schemas of DTO classes after the class: a type of ours never takes such a name
  const apiDir = join(repoRoot, 'apps/api/src');
  const classNames = program
    .getSourceFiles()
    .filter((file) => file.fileName.startsWith(apiDir))
    .flatMap((file) => file.statements.filter(ts.isClassDeclaration).flatMap((declaration) => (declaration.name ? [declaration.name.text] : [])));
  const components = new Components(repoRoot, new Set([...contractNames, ...classNames]));
  for (const file of controllers) {
    const source = program.getSourceFile(file);
    if (!source) continue;
    for (const statement of source.statements) {
      if (!ts.isClassDeclaration(statement) || !statement.name || !decoratorNames(statement).has('Controller')) continue;
      for (const member of statement.members) {
        if (!ts.isMethodDeclaration(member) || !ts.isIdentifier(member.name)) continue;
        if (![...decoratorNames(member)].some((name) => ROUTE_DECORATORS.has(name))) continue;
        const signature = checker.getSignatureFromDeclaration(member);
        if (!signature) continue;
        const answer = unwrapPromise(checker, checker.getReturnTypeOfSignature(signature));
        if (answer.flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined | ts.TypeFlags.Never)) continue;
        const where = `${relative(repoRoot, file)} ${statement.name.text}.${member.name.text}`;
        out[`${statement.name.text}_${member.name.text}`] = new SchemaWriter(checker, contractDir, contractNames, components, where).write(answer, 0, []);
      }
    }
  }
  return { operations: sorted(out), components: sorted(components.schemas) };
}

/** per operationId its answer's schema, and the named types those refer to (as #/components/schemas/<name>) */
export interface AnswerSchemas {
  operations: Record<string, Schema>;
  components: Record<string, Schema>;
}

const sorted = (record: Record<string, Schema>) => Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));

/** Named types of the repository (interfaces, classes, type aliases) written once and referred to by name. */
class Components {
  readonly schemas: Record<string, Schema> = {};
  private readonly names = new Map<ts.Symbol, string>();

  constructor(
    private readonly repoRoot: string,
    private readonly taken: ReadonlySet<string>,
  ) {}

  /** the component name of a named type of ours, or undefined (anonymous, generic, or from node_modules) */
  nameOf(type: ts.Type): { symbol: ts.Symbol; name: string; isNew: boolean } | undefined {
    const symbol = type.aliasSymbol ?? type.getSymbol();
    if (!symbol || symbol.getName().startsWith('__')) return undefined;
    if (type.aliasSymbol ? type.aliasTypeArguments?.length : (type as ts.TypeReference).typeArguments?.length) return undefined;
    if (!type.aliasSymbol && !(symbol.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.Class))) return undefined;
    const declaration = symbol.declarations?.[0];
    const file = declaration?.getSourceFile().fileName ?? '';
    if (!file.startsWith(this.repoRoot) || file.includes('/node_modules/') || file.includes('/generated/')) return undefined;
    const known = this.names.get(symbol);
    if (known) return { symbol, name: known, isNew: false };
    let name = symbol.getName();
    for (let n = 2; this.taken.has(name) || [...this.names.values()].includes(name); n++) name = `${symbol.getName()}${n}`;
    this.names.set(symbol, name);
    return { symbol, name, isNew: true };
  }
}

/** The generated module's text (compared with the committed file by a unit test). */
export function renderAnswerModule(schemas: AnswerSchemas): string {
  return `// Generated by npm run openapi:contract from the API controllers' return types: do not edit.\nexport const API_ANSWER_SCHEMAS: { operations: Record<string, object>; components: Record<string, object> } = ${JSON.stringify(schemas, null, 2)};\n`;
}

function listControllers(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.controller.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function decoratorNames(node: ts.HasDecorators): Set<string> {
  const names = new Set<string>();
  for (const decorator of ts.getDecorators(node) ?? []) {
    const expression = ts.isCallExpression(decorator.expression) ? decorator.expression.expression : decorator.expression;
    if (ts.isIdentifier(expression)) names.add(expression.text);
  }
  return names;
}

function unwrapPromise(checker: ts.TypeChecker, type: ts.Type): ts.Type {
  const awaited = checker.getAwaitedType(type);
  return awaited ?? type;
}

class SchemaWriter {
  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly contractDir: string,
    private readonly contractNames: ReadonlySet<string>,
    private readonly components: Components,
    private readonly where: string,
  ) {}

  write(type: ts.Type, depth: number, seen: ts.Type[]): Schema {
    if (depth > MAX_DEPTH || seen.includes(type)) return {};
    const contract = this.contractName(type);
    if (contract) return { $ref: `#/components/schemas/${contract}` };
    const named = type.flags & (ts.TypeFlags.Object | ts.TypeFlags.Union | ts.TypeFlags.Intersection) ? this.components.nameOf(type) : undefined;
    if (named) {
      if (named.isNew) {
        this.components.schemas[named.name] = {};
        this.components.schemas[named.name] = this.inline(type, 0, []);
      }
      return { $ref: `#/components/schemas/${named.name}` };
    }
    return this.inline(type, depth, seen);
  }

  private inline(type: ts.Type, depth: number, seen: ts.Type[]): Schema {
    const f = type.flags;
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return {};
    if (f & ts.TypeFlags.StringLiteral) return { type: 'string', const: (type as ts.StringLiteralType).value };
    if (f & ts.TypeFlags.NumberLiteral) return { type: 'number', const: (type as ts.NumberLiteralType).value };
    if (f & ts.TypeFlags.BooleanLiteral) return { type: 'boolean', const: this.checker.typeToString(type) === 'true' };
    if (f & ts.TypeFlags.EnumLiteral && type.isUnion()) return this.union(type.types, depth, seen);
    if (f & ts.TypeFlags.StringLike) return { type: 'string' };
    if (f & ts.TypeFlags.NumberLike) return { type: 'number' };
    if (f & ts.TypeFlags.BooleanLike) return { type: 'boolean' };
    if (f & ts.TypeFlags.Null) return { type: 'null' };
    if (f & ts.TypeFlags.BigIntLike) throw new Error(`${this.where}: a bigint does not serialise to JSON`);
    if (type.isUnion()) return this.union(type.types, depth, seen);
    const inner = [...seen, type];
    if (this.checker.isArrayType(type)) {
      const element = this.checker.getIndexTypeOfType(type, ts.IndexKind.Number);
      return { type: 'array', items: element ? this.write(element, depth + 1, inner) : {} };
    }
    if (this.checker.isTupleType(type)) {
      const elements = this.checker.getTypeArguments(type as ts.TypeReference).map((element) => this.write(element, depth + 1, inner));
      return { type: 'array', prefixItems: elements, minItems: elements.length, maxItems: elements.length };
    }
    const name = type.getSymbol()?.getName();
    if (name === 'Date') return { type: 'string', format: 'date-time' };
    if (name === 'Buffer' || name === 'Uint8Array' || name === 'StreamableFile') throw new Error(`${this.where}: binary answers are described by hand with ApiResponse`);
    return this.object(type, depth, inner);
  }

  private union(members: readonly ts.Type[], depth: number, seen: ts.Type[]): Schema {
    const present = members.filter((member) => !(member.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
    const booleans = present.filter((member) => member.flags & ts.TypeFlags.BooleanLiteral);
    const rest = present.filter((member) => !(member.flags & ts.TypeFlags.BooleanLiteral));
    const schemas = rest.map((member) => this.write(member, depth, seen));
    if (booleans.length === 2) schemas.push({ type: 'boolean' });
    else if (booleans.length === 1) schemas.push(this.write(booleans[0], depth, seen));
    const literals = schemas.filter((s) => 'const' in s && Object.keys(s).length === 2);
    const simple: Schema[] = [];
    // string literals together are an enum; 'x' | null keeps null in the enum's type
    const strings = literals.filter((s) => s.type === 'string');
    const others = schemas.filter((s) => !strings.includes(s));
    if (strings.length > 1) simple.push({ type: 'string', enum: strings.map((s) => s.const) });
    else simple.push(...strings);
    simple.push(...others);
    const unique = simple.filter((s, i) => simple.findIndex((o) => JSON.stringify(o) === JSON.stringify(s)) === i);
    if (unique.some((s) => Object.keys(s).length === 0)) return {};
    if (unique.length === 1) return unique[0];
    const isNull = (s: Schema) => s.type === 'null' && Object.keys(s).length === 1;
    const nonNull = unique.filter((s) => !isNull(s));
    if (nonNull.length === 1 && unique.length === 2 && typeof nonNull[0].type === 'string' && !('$ref' in nonNull[0])) {
      const only = nonNull[0];
      const merged: Schema = { ...only, type: [only.type, 'null'] };
      if (Array.isArray(only.enum)) merged.enum = [...only.enum, null];
      if ('const' in only) return { type: [only.type, 'null'], enum: [only.const, null] };
      return merged;
    }
    return { anyOf: unique };
  }

  private object(type: ts.Type, depth: number, seen: ts.Type[]): Schema {
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    for (const property of this.checker.getPropertiesOfType(type)) {
      const declaration = property.valueDeclaration ?? property.declarations?.[0];
      const propertyType = declaration ? this.checker.getTypeOfSymbolAtLocation(property, declaration) : this.checker.getTypeOfSymbol(property);
      if (propertyType.getCallSignatures().length > 0) continue;
      const optional = (property.flags & ts.SymbolFlags.Optional) !== 0 || (propertyType.isUnion() && propertyType.types.some((t) => t.flags & ts.TypeFlags.Undefined));
      // a property that is only ever undefined is never in the JSON
      if (propertyType.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) continue;
      properties[property.getName()] = this.write(propertyType, depth + 1, seen);
      if (!optional) required.push(property.getName());
    }
    const schema: Schema = { type: 'object', properties };
    if (required.length > 0) schema.required = required;
    const index = this.checker.getIndexTypeOfType(type, ts.IndexKind.String);
    if (index) schema.additionalProperties = this.write(index, depth + 1, seen);
    return schema;
  }

  /** the libs/api-contract type this is, when it is one by name (a generic instance, such as Page<T>, is written out) */
  private contractName(type: ts.Type): string | undefined {
    const symbol = type.aliasSymbol && !type.aliasTypeArguments?.length ? type.aliasSymbol : type.getSymbol();
    if (!symbol || !this.contractNames.has(symbol.getName())) return undefined;
    if ((type as ts.TypeReference).typeArguments?.length) return undefined;
    const declared = symbol.declarations?.some((declaration) => declaration.getSourceFile().fileName.startsWith(this.contractDir));
    return declared ? symbol.getName() : undefined;
  }
}
