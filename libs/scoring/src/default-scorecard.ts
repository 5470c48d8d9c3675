import type { Scorecard } from './scorecard.js';

/**
 * Financial telesales, one call. Critical: promising returns (FINRA 2210, 广告法 第二十五条), abusive language,
 * and a missing risk disclosure (FCA COBS 4.8.3R, 证券法). Implying a guarantee without saying it (广告法 第二十五条
 * "暗示保本、无风险或者保收益") is major: it costs points but does not fail the call. An opt-out request is the customer's act, so it only
 * costs points until a reviewer confirms the agent honoured it and dismisses the finding. Calling a number on the opt-out
 * registry (or one that asked to stop in an earlier call) is critical: it fails the call (TCPA 47 U.S.C. 227(c), PECR
 * reg. 21, 个人信息保护法 第十五条). Calling outside permitted hours and calling one number too often are major.
 * Version 3 added those three; a version is never changed once published.
 */
export const DEFAULT_SCORECARD: Scorecard = {
  name: 'financial-telesales-default',
  version: 3,
  criteria: [
    {
      id: 'no_guaranteed_returns',
      label: 'No promise of guaranteed returns',
      weight: 12,
      critical: true,
      source: { kind: 'finding_absent', families: ['guaranteed_returns'] },
    },
    {
      id: 'no_abusive_language',
      label: 'No abusive language',
      weight: 8,
      critical: true,
      source: { kind: 'finding_absent', families: ['abusive_language'] },
    },
    {
      id: 'no_implied_guarantee',
      label: 'No implied guarantee (no-risk or assured-return reassurance)',
      weight: 6,
      critical: false,
      source: { kind: 'finding_absent', families: ['implied_guarantee'] },
    },
    {
      id: 'risk_disclosure_given',
      label: 'Risk disclosure given',
      weight: 12,
      critical: true,
      source: { kind: 'finding_absent', families: ['missing_risk_disclosure'] },
    },
    {
      id: 'no_call_to_opted_out_number',
      label: 'No call to a customer who opted out',
      weight: 12,
      critical: true,
      source: { kind: 'finding_absent', families: ['opted_out_number_called', 'called_after_stop_request'] },
    },
    {
      id: 'within_calling_hours',
      label: "Called within permitted hours (customer's local time)",
      weight: 6,
      critical: false,
      source: { kind: 'finding_absent', families: ['outside_calling_hours'] },
    },
    {
      id: 'dial_frequency_respected',
      label: 'Number not dialled more often than allowed',
      weight: 6,
      critical: false,
      source: { kind: 'finding_absent', families: ['excess_dial_frequency'] },
    },
    {
      id: 'no_pressure_tactics',
      label: 'No high-pressure sales tactics',
      weight: 8,
      critical: false,
      source: { kind: 'finding_absent', families: ['pressure_tactics'] },
    },
    {
      id: 'recording_notice_given',
      label: 'Call-recording notice given',
      weight: 6,
      critical: false,
      source: { kind: 'finding_absent', families: ['missing_recording_notice'] },
    },
    {
      id: 'agent_identified',
      label: 'Agent identified themself and the firm',
      weight: 6,
      critical: false,
      source: { kind: 'finding_absent', families: ['missing_agent_identification'] },
    },
    {
      id: 'opt_out_honoured',
      label: 'Opt-out request honoured',
      weight: 4,
      critical: false,
      source: { kind: 'finding_absent', families: ['opt_out_request'] },
    },
    {
      id: 'talk_ratio_within_target',
      label: 'Talk ratio within the campaign target band',
      weight: 4,
      critical: false,
      source: { kind: 'metric', metric: 'talkRatioWithinTarget', op: '==', value: true },
    },
    {
      id: 'no_long_monologue',
      label: 'No agent monologue longer than 60 s',
      weight: 5,
      critical: false,
      source: { kind: 'metric', metric: 'longestAgentMonologue', op: '<=', value: 60 },
    },
    {
      id: 'few_interruptions',
      label: 'Agent interrupted the customer at most 3 times',
      weight: 5,
      critical: false,
      source: { kind: 'metric', metric: 'agentInterruptions', op: '<=', value: 3 },
    },
  ],
};
