/** The fixed list of finding families a rule may belong to; extend here, never rename (stored findings carry them). */
export const RULE_FAMILIES = [
  'guaranteed_returns',
  'opt_out_request',
  'abusive_language',
  'pressure_tactics',
  'missing_recording_notice',
  'missing_agent_identification',
  'missing_risk_disclosure',
  // appended 2026-12 (issue 15): risk-minimising or return-assuring wording with no literal guarantee (广告法 第二十五条 暗示)
  'implied_guarantee',
  // metadata checks (libs/compliance): raised from call metadata and the opt-out registry, not from the transcript
  'opted_out_number_called',
  'called_after_stop_request',
  'outside_calling_hours',
  'excess_dial_frequency',
] as const;

export type RuleFamily = (typeof RULE_FAMILIES)[number];

export function isRuleFamily(value: string): value is RuleFamily {
  return (RULE_FAMILIES as readonly string[]).includes(value);
}
