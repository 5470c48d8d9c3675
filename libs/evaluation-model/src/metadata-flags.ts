import type { CallResult } from './call-outcome-counters.js';

export interface FindingForFlags {
  source: string;
  ruleId: string;
  family?: string | null;
  reviewState: 'pending' | 'confirmed' | 'dismissed';
}

// Metadata findings (opted-out number, calling hours, dial frequency) are facts from records, not judgements of
// speech, so they count unless a reviewer dismissed them. Matched by the families libs/compliance raises.
const FLAG_OF_FAMILY: Record<string, keyof ReturnType<typeof metadataFlags>> = {
  opted_out_number_called: 'optedOutNumber',
  // calling a customer who asked to stop in an earlier call is a call to an opted-out number the registry missed
  called_after_stop_request: 'optedOutNumber',
  outside_calling_hours: 'outOfHours',
  excess_dial_frequency: 'dialFrequencyBreach',
};

/** The CallResult flags that come from metadata findings. */
export function metadataFlags(findings: readonly FindingForFlags[]): Pick<CallResult, 'optedOutNumber' | 'outOfHours' | 'dialFrequencyBreach'> {
  const flags = { optedOutNumber: false, outOfHours: false, dialFrequencyBreach: false };
  for (const finding of findings) {
    const flag = finding.family ? FLAG_OF_FAMILY[finding.family] : undefined;
    if (flag && finding.source === 'metadata' && finding.reviewState !== 'dismissed') flags[flag] = true;
  }
  return flags;
}
