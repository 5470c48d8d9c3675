export class NotFoundInStorageError extends Error {
  override readonly name = 'NotFoundInStorageError';

  constructor(
    readonly key: string,
    options?: ErrorOptions,
  ) {
    super(`No object in storage under key ${JSON.stringify(key)}`, options);
  }
}
