const NULLABLE = Symbol('earshot:nullable');

/** Marks a DTO field whose `null` means something (clear the value); validateDto refuses null everywhere else. */
export function Nullable(): PropertyDecorator {
  return (target, property) => {
    const own: Set<string> = Object.prototype.hasOwnProperty.call(target, NULLABLE)
      ? (target as Record<symbol, Set<string>>)[NULLABLE] as Set<string>
      : new Set((target as Record<symbol, Set<string> | undefined>)[NULLABLE] ?? []);
    own.add(String(property));
    Object.defineProperty(target, NULLABLE, { value: own, configurable: true });
  };
}

/** The fields of `cls` (and its parents) marked @Nullable. */
export function nullableFields(cls: new () => object): ReadonlySet<string> {
  return (cls.prototype as Record<symbol, Set<string> | undefined>)[NULLABLE] ?? new Set();
}
