export class NotFoundError extends Error {
  constructor(what: string, id: string) {
    super(`${what} ${id} does not exist`);
    this.name = 'NotFoundError';
  }
}
