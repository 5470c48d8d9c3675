/** The thing exists but is not made yet (a later pipeline stage makes it): 409, try again later. */
export class NotReadyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotReadyError';
  }
}
