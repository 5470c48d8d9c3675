import type { Scorecard } from './scorecard.js';

/**
 * Financial telesales, one call. Critical: promising returns (FINRA 2210, 广告法 第二十五条), abusive language,
 * and a missing risk disclosure (FCA COBS 4.8.3R, 证券法). Implying a guarantee without saying it (广告法 第二十五条
 * "暗示保本、无风险或者保收益") is major: it costs points but does not fail the call. An opt-out request is the customer's act, so it only
 * costs points until a reviewer confirms the agent honoured it and dismisses the finding.
 */
export const DEFAULT_SCORECARD: Scorecard = {
  name: 'financial-telesales-default',
  version: 2,
  criteria: [
    {
      id: 'no_guaranteed_returns',
      label: 'No promise of guaranteed returns',
      weight: 15,
      critical: true,
      source: { kind: 'finding_absent', families: ['guaranteed_returns'] },
    },
    {
      id: 'no_abusive_language',
      label: 'No abusive language',
      weight: 10,
      critical: true,
      source: { kind: 'finding_absent', families: ['abusive_language'] },
    },
    {
      id: 'no_implied_guarantee',
      label: 'No implied guarantee (no-risk or assured-return reassurance)',
      weight: 10,
      critical: false,
      source: { kind: 'finding_absent', families: ['implied_guarantee'] },
    },
    {
      id: 'risk_disclosure_given',
      label: 'Risk disclosure given',
      weight: 15,
      critical: true,
      source: { kind: 'finding_absent', families: ['missing_risk_disclosure'] },
    },
    {
      id: 'no_pressure_tactics',
      label: 'No high-pressure sales tactics',
      weight: 10,
      critical: false,
      source: { kind: 'finding_absent', families: ['pressure_tactics'] },
    },
    {
      id: 'recording_notice_given',
      label: 'Call-recording notice given',
      weight: 10,
      critical: false,
      source: { kind: 'finding_absent', families: ['missing_recording_notice'] },
    },
    {
      id: 'agent_identified',
      label: 'Agent identified themself and the firm',
      weight: 10,
      critical: false,
      source: { kind: 'finding_absent', families: ['missing_agent_identification'] },
    },
    {
      id: 'opt_out_honoured',
      label: 'Opt-out request honoured',
      weight: 5,
      critical: false,
      source: { kind: 'finding_absent', families: ['opt_out_request'] },
    },
    {
      id: 'talk_ratio_within_target',
      label: 'Talk ratio within the campaign target band',
      weight: 5,
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
