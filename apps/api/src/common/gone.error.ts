/** The thing existed and was removed on purpose (e.g. a recording past its retention); the API answers 410. */
export class GoneError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoneError';
  }
}
