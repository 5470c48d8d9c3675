import { plainToInstance } from 'class-transformer';
import { type ValidationError, validate } from 'class-validator';
import { hostileInputProblems } from './hostile-input.js';
import { nullableFields } from './nullable.js';
import { RequestValidationError } from './request-validation.error.js';

/**
 * Validates plain input into a DTO; every problem message starts with its field path under `prefix`. Before the
 * DTO's own rules: values no field accepts (hostileInputProblems) and `null` where the DTO does not mark the
 * field @Nullable (class-validator's @IsOptional lets null through to the database otherwise).
 */
export async function validateDto<T extends object>(cls: new () => T, plain: unknown, prefix: string): Promise<T> {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    throw new RequestValidationError([`${prefix}: must be a JSON object`]);
  }
  const hostile = hostileInputProblems(plain, prefix);
  const nullable = nullableFields(cls);
  for (const [key, value] of Object.entries(plain)) {
    if (value === null && !nullable.has(key)) hostile.push(`${prefix ? `${prefix}.` : ''}${key}: must not be null (leave the field out instead)`);
  }
  if (hostile.length > 0) throw new RequestValidationError(hostile);
  const instance = plainToInstance(cls, plain);
  const errors = await validate(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) throw new RequestValidationError(flatten(errors, prefix));
  return instance;
}

function flatten(errors: ValidationError[], prefix: string): string[] {
  return errors.flatMap((error) => {
    const path = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property) ? `${path}: ${message.slice(error.property.length).trim()}` : `${path}: ${message}`,
    );
    return [...own, ...flatten(error.children ?? [], path)];
  });
}
