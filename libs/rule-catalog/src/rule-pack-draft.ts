import type { FindingDraft, NormalisedTranscript, TranscriptSegment } from '#libs/domain';
import { compileRulePack, RulePackValidationError, runRules, type RulePack, validateRulePack } from '#libs/rules';
import { RuleCatalogError } from './rule-catalog.errors.js';

/** Regex sources of the shipped packs: a fork may keep them on the native engine; any other runs on RE2. */
export type TrustedPatterns = ReadonlySet<string>;

/**
 * Validates an authored pack as the draft of `key`: the id is the key (filled in when absent), the version is
 * `semver`. Every problem names its field under `field` ("body.pack.rules.3.match.phrases.0: ..."). Pure.
 */
export function prepareDraft(input: unknown, key: string, semver: string, field: string, trusted: TrustedPatterns): RulePack {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new RuleCatalogError('invalid', [`${field}: must be a rule pack object`]);
  const raw = input as Record<string, unknown>;
  if (raw.id !== undefined && raw.id !== key) throw new RuleCatalogError('invalid', [`${field}.id: must be the pack's key "${key}" (or left out)`]);
  return validated({ ...raw, id: key, version: semver }, field, trusted);
}

/** Validates a pack and compiles it the way the pipeline will (rule ids unique, patterns compiled); problems name fields. */
export function validated(input: unknown, field: string, trusted: TrustedPatterns): RulePack {
  try {
    const pack = validateRulePack(input, { trustedPatterns: trusted });
    compileRulePack([pack], { trustedPatterns: trusted });
    return pack;
  } catch (error) {
    if (error instanceof RulePackValidationError) throw new RuleCatalogError('invalid', error.issues.map((i) => (i.startsWith('(pack)') ? `${field}${i.slice(6)}` : `${field}.${i}`)));
    throw error;
  }
}

export interface TextMatch {
  ruleId: string;
  ruleVersion: string;
  family: string | null;
  severity: string;
  description: string;
  /** a required rule whose phrase is absent raises a whole-call finding: no span */
  absent: boolean;
  segmentIndex: number | null;
  charStart: number | null;
  charEnd: number | null;
  text: string | null;
}

export interface PastedSegment {
  speaker: TranscriptSegment['speaker'];
  text: string;
  start?: number;
  end?: number;
}

/** Runs a (validated) pack over pasted utterances and returns each match with its character span. Pure. */
export function testOnText(pack: RulePack, segments: readonly PastedSegment[], trusted: TrustedPatterns, language?: string): TextMatch[] {
  const compiled = compileRulePack([pack], { trustedPatterns: trusted });
  let clock = 0;
  const transcript: NormalisedTranscript = {
    provider: 'pasted',
    rolesSource: 'sidecar',
    segments: segments.map((s) => {
      const start = s.start ?? clock;
      const end = s.end ?? start + Math.max(1, s.text.length / 15);
      clock = end;
      return { speaker: s.speaker, start, end, text: s.text };
    }),
  };
  return runRules(compiled, transcript, language ? { language } : {}).map(toMatch);
}

function toMatch(d: FindingDraft): TextMatch {
  const e = d.evidence;
  return {
    ruleId: d.ruleId,
    ruleVersion: d.ruleVersion,
    family: d.family ?? null,
    severity: d.severity,
    description: d.description,
    absent: d.dedupeKey.endsWith(':absent'),
    segmentIndex: e?.segmentIndex ?? null,
    charStart: e?.charStart ?? null,
    charEnd: e?.charEnd ?? null,
    text: e?.text ?? null,
  };
}

/** Regex sources anywhere in a pack's conditions. */
export function regexSources(pack: RulePack): string[] {
  const out: string[] = [];
  const walk = (c: unknown): void => {
    if (typeof c !== 'object' || c === null) return;
    const cond = c as Record<string, unknown>;
    if (typeof cond.regex === 'string') out.push(cond.regex);
    for (const v of Object.values(cond)) if (Array.isArray(v)) v.forEach(walk);
    if (cond.not) walk(cond.not);
  };
  for (const rule of pack.rules) {
    walk(rule.match);
    if (rule.when) walk(rule.when);
  }
  return out;
}
