/** Injection token for the ObjectStorage chosen from configuration. */
export const OBJECT_STORAGE = Symbol('OBJECT_STORAGE');
