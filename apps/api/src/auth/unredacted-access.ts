import { UNREDACTED_ROLES } from '#libs/domain';
import { RequestValidationError } from '../common/request-validation.error.js';
import { ForbiddenError } from './auth.errors.js';
import { type Principal, mayReadUnredacted } from './principal.js';

/** Reads ?unredacted=true|false; asking for unredacted content without the role or a grant is a 403. */
export function wantsUnredacted(raw: unknown, principal: Principal): boolean {
  if (raw === undefined || raw === 'false') return false;
  if (raw !== 'true') throw new RequestValidationError(['query.unredacted: must be true or false']);
  if (!mayReadUnredacted(principal)) {
    throw new ForbiddenError(
      `role ${principal.role} may not read unredacted transcripts or recordings; that needs ${UNREDACTED_ROLES.join(' or ')}, or a user granted unredactedAccess`,
      UNREDACTED_ROLES,
    );
  }
  return true;
}
