import type { FindingDraft } from '#libs/domain';
import { type LocalTime, localTime, resolveCustomerZones, withinHours } from './calling-hours.js';

export interface MetadataPolicy {
  /** permitted calling hours in the customer's local time, [start, end) as HH:MM */
  callingHours: { start: string; end: string };
  /** more calls than this to one number on one local day is a finding */
  maxCallsPerNumberPerDay: number;
}

export const DEFAULT_METADATA_POLICY: MetadataPolicy = {
  callingHours: { start: '08:00', end: '21:00' },
  maxCallsPerNumberPerDay: 2,
};

export interface OptOutEntry {
  id: string;
  source: 'import' | 'call_detected' | 'sms_unsubscribe' | 'manual';
  effectiveAt: Date;
  removedAt: Date | null;
  sourceCallId: string | null;
}

export interface PriorCall {
  id: string;
  startedAt: Date;
}

export interface StopRequest {
  callId: string;
  callStartedAt: Date;
  evidence?: string;
}

export interface MetadataCheckInput {
  call: { id: string; phone: string; startedAt: Date; timeZone?: string | null; direction: 'inbound' | 'outbound' };
  /** the registry's entries for this number (removed ones included; the check knows when each applied) */
  optOuts: readonly OptOutEntry[];
  /** other calls to the same number around this call's day (a window of at least +-14 h is enough) */
  nearbyCalls: readonly PriorCall[];
  /** customer stop requests detected in earlier calls to this number */
  earlierStopRequests: readonly StopRequest[];
}

export const METADATA_RULE_VERSION = '1';

export const METADATA_RULES = {
  optedOut: 'metadata.opted_out_number',
  callingHours: 'metadata.calling_hours',
  dialFrequency: 'metadata.dial_frequency',
  priorStopRequest: 'metadata.prior_stop_request',
} as const;

/** What each metadata rule enforces, as a finding's citation. */
export const METADATA_RULE_REGULATIONS: Record<(typeof METADATA_RULES)[keyof typeof METADATA_RULES], string> = {
  'metadata.opted_out_number': 'TCPA 47 CFR 64.1200(d)(3) (honour do-not-call requests); 消费者权益保护法 第二十九条',
  'metadata.prior_stop_request': 'TCPA 47 CFR 64.1200(d)(3); FCC 24-18 (revocation by any reasonable means)',
  'metadata.calling_hours': 'TCPA 47 CFR 64.1200(c)(1); FTC TSR 16 CFR 310.4(c) (no calls before 8 a.m. or after 9 p.m. local time)',
  'metadata.dial_frequency': 'FTC TSR 16 CFR 310.4(b)(1)(i) (abandoned and repeated calls); campaign dial-frequency policy',
};

/**
 * Findings from the call's metadata alone: a call to an opted-out number, outside permitted hours, over the daily
 * dial limit, or after the customer asked to stop in an earlier call. Only outbound calls are judged: a customer
 * calling in is never a violation.
 */
export function runMetadataChecks(input: MetadataCheckInput, policy: MetadataPolicy = DEFAULT_METADATA_POLICY): FindingDraft[] {
  const { call } = input;
  if (call.direction !== 'outbound') return [];
  const findings: FindingDraft[] = [];
  const optedOut = activeOptOut(input.optOuts, call.startedAt);
  if (optedOut) {
    findings.push({
      dedupeKey: METADATA_RULES.optedOut,
      source: 'metadata',
      ruleId: METADATA_RULES.optedOut,
      ruleVersion: METADATA_RULE_VERSION,
      family: 'opted_out_number_called',
      severity: 'critical',
      dimension: 'compliance',
      description: `Called ${call.phone}, opted out (${optedOut.source}) since ${optedOut.effectiveAt.toISOString()}, before the call started (TCPA 47 CFR 64.1200(d); 消费者权益保护法 第二十九条)`,
      evidence: { text: `opt-out ${optedOut.id} (${optedOut.source}) effective ${optedOut.effectiveAt.toISOString()}` },
    });
  }
  const stop = input.earlierStopRequests
    .filter((s) => s.callId !== call.id && s.callStartedAt < call.startedAt)
    .sort((a, b) => a.callStartedAt.getTime() - b.callStartedAt.getTime())[0];
  // Registered stop requests are judged by the registry: in force -> the opted-out finding, removed -> lifted on purpose.
  const coveredByRegistry = stop !== undefined && input.optOuts.some((o) => o.sourceCallId === stop.callId);
  if (stop && !coveredByRegistry) {
    findings.push({
      dedupeKey: METADATA_RULES.priorStopRequest,
      source: 'metadata',
      ruleId: METADATA_RULES.priorStopRequest,
      ruleVersion: METADATA_RULE_VERSION,
      family: 'called_after_stop_request',
      severity: 'critical',
      dimension: 'compliance',
      description: `Called ${call.phone} although the customer asked to stop being called in call ${stop.callId} (${stop.callStartedAt.toISOString()}) (TCPA 47 CFR 64.1200(d)(3); 消费者权益保护法 第二十九条)`,
      evidence: { text: stop.evidence ?? `stop request in call ${stop.callId}` },
    });
  }
  const hours = callingHoursFinding(call, policy);
  if (hours) findings.push(hours);
  const frequency = dialFrequencyFinding(call, input.nearbyCalls, policy);
  if (frequency) findings.push(frequency);
  return findings;
}

/** The opt-out in force at `at`: effective at or before it and not removed by then. */
export function activeOptOut(entries: readonly OptOutEntry[], at: Date): OptOutEntry | null {
  let found: OptOutEntry | null = null;
  for (const entry of entries) {
    if (entry.effectiveAt > at) continue;
    if (entry.removedAt && entry.removedAt <= at) continue;
    if (!found || entry.effectiveAt < found.effectiveAt) found = entry;
  }
  return found;
}

function callingHoursFinding(call: MetadataCheckInput['call'], policy: MetadataPolicy): FindingDraft | null {
  const resolution = resolveCustomerZones(call.timeZone, call.phone);
  if (resolution.zones.length === 0) return null;
  const locals = resolution.zones.map((zone) => ({ zone, local: localTime(call.startedAt, zone) }));
  // Where the number's country spans several zones, only a call outside hours in every one of them is certain.
  const outside = locals.filter(({ local }) => !withinHours(local, policy.callingHours));
  if (outside.length < locals.length) return null;
  const shown = describeLocal(locals);
  return {
    dedupeKey: METADATA_RULES.callingHours,
    source: 'metadata',
    ruleId: METADATA_RULES.callingHours,
    ruleVersion: METADATA_RULE_VERSION,
    family: 'outside_calling_hours',
    severity: 'major',
    dimension: 'compliance',
    description: `Call started at ${shown} customer local time, outside permitted hours ${policy.callingHours.start}-${policy.callingHours.end} (TCPA 47 CFR 64.1200(c)(1)); zone from ${resolution.source === 'metadata' ? 'call metadata' : "the number's country"}`,
    evidence: { text: `started ${call.startedAt.toISOString()} = ${shown}` },
  };
}

function describeLocal(locals: { zone: string; local: LocalTime }[]): string {
  const first = locals[0] as { zone: string; local: LocalTime };
  if (locals.length === 1) return `${first.local.clock} (${first.zone})`;
  return locals.map(({ zone, local }) => `${local.clock} ${zone}`).join(', ');
}

function dialFrequencyFinding(call: MetadataCheckInput['call'], nearby: readonly PriorCall[], policy: MetadataPolicy): FindingDraft | null {
  const resolution = resolveCustomerZones(call.timeZone, call.phone);
  const zone = resolution.zones[0] ?? 'UTC';
  const day = localTime(call.startedAt, zone).date;
  const sameDay = nearby.filter((c) => c.id !== call.id && localTime(c.startedAt, zone).date === day);
  // This call's place in the day: earlier calls, ties broken by id so two calls never both claim one place.
  const before = sameDay.filter((c) => c.startedAt < call.startedAt || (c.startedAt.getTime() === call.startedAt.getTime() && c.id < call.id));
  const ordinal = before.length + 1;
  if (ordinal <= policy.maxCallsPerNumberPerDay) return null;
  return {
    dedupeKey: METADATA_RULES.dialFrequency,
    source: 'metadata',
    ruleId: METADATA_RULES.dialFrequency,
    ruleVersion: METADATA_RULE_VERSION,
    family: 'excess_dial_frequency',
    severity: 'major',
    dimension: 'compliance',
    description: `Call ${ordinal} to ${call.phone} on ${day} (${zone}); at most ${policy.maxCallsPerNumberPerDay} a day are permitted`,
    evidence: { text: `earlier calls that day: ${before.map((c) => c.id).join(', ')}` },
  };
}
