/**
 * Opt-in rule policies a campaign may enable; a rule with `policy` runs only where its policy is on. Extend here,
 * never rename (campaigns store the names).
 * - complaint_as_opt_out: a complaint about repeated calls ("怎么还打", "why do you keep calling") counts as a
 *   do-not-call request, for campaigns that read FCC 24-18's "any reasonable manner" of revoking consent broadly.
 */
export const RULE_POLICIES = ['complaint_as_opt_out'] as const;

export type RulePolicy = (typeof RULE_POLICIES)[number];
