import type { FindingDraft, NormalisedTranscript } from '#libs/domain';
import { type CompiledRules, runRules } from '#libs/rules';

/** What of a call decides which rules fire besides its transcript. */
export interface CallRuleContext {
  durationSeconds: number | null;
  rulePolicies: readonly string[];
}

/** A call's rule findings with the compiled packs its campaign runs: the one definition the check stage and re-checks share. */
export function runCallRules(compiled: CompiledRules, transcript: NormalisedTranscript, call: CallRuleContext): FindingDraft[] {
  return runRules(compiled, transcript, { callDurationSeconds: call.durationSeconds ?? undefined, policies: call.rulePolicies });
}
