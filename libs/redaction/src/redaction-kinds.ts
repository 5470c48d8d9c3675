import { REDACTION_KINDS, type RedactionKind } from './sensitive-text.js';

/** A campaign's switches on top of the deployment's kinds: kinds it adds, kinds it leaves in the clear. */
export interface CampaignRedactionSwitches {
  redactionOn: readonly string[];
  redactionOff: readonly string[];
}

/**
 * The kinds to redact for a call: the deployment's (REDACTION_KINDS), plus the campaign's `redactionOn`, minus its
 * `redactionOff` (off wins). Unknown names are ignored. Always in REDACTION_KINDS order.
 */
export function redactionKindsFor(deployment: readonly RedactionKind[], campaign?: CampaignRedactionSwitches | null): RedactionKind[] {
  const on = new Set<string>([...deployment, ...(campaign?.redactionOn ?? [])]);
  for (const kind of campaign?.redactionOff ?? []) on.delete(kind);
  return REDACTION_KINDS.filter((kind) => on.has(kind));
}
