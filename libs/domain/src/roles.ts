/** Who a user or API key is; every endpoint declares which of these may call it. */
export const ROLES = ['admin', 'qa_lead', 'compliance', 'trainer', 'agent', 'integration'] as const;
export type Role = (typeof ROLES)[number];

/** Roles that read unredacted transcripts and recordings without a per-user grant. */
export const UNREDACTED_ROLES: readonly Role[] = ['admin', 'compliance'];

/** People who look at every call: they see all agents' calls and evaluations. */
export const CALL_READERS: readonly Role[] = ['admin', 'qa_lead', 'compliance', 'trainer'];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
