import type { UserView } from '#libs/api-contract';
import type { StoredApiKey, StoredUser } from '#libs/db';

export function presentUser(user: StoredUser): UserView {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    agent: user.agentId ? { id: user.agentId, externalId: user.agentExternalId } : null,
    unredactedAccess: user.unredactedAccess,
    disabled: user.disabledAt !== null,
    createdAt: user.createdAt.toISOString(),
  };
}

export function presentApiKey(key: StoredApiKey) {
  return {
    id: key.id,
    name: key.name,
    role: key.role,
    prefix: key.prefix,
    unredactedAccess: key.unredactedAccess,
    createdBy: key.createdBy,
    createdAt: key.createdAt,
    lastUsedAt: key.lastUsedAt,
    revokedAt: key.revokedAt,
  };
}
