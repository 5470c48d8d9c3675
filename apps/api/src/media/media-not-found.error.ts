import { NotFoundError } from '../common/not-found.error.js';

/** 404 whose message says which media is missing and why (the filter maps every NotFoundError). */
export class MediaNotFoundError extends NotFoundError {
  constructor(what: string, id: string, why: string) {
    super(what, id);
    this.message = `${what} ${id} ${why}`;
  }
}
