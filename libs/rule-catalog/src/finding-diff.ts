import type { FindingDraft } from '#libs/domain';

/** A stored rule finding as a re-check compares it (libs/db StoredRuleFinding has this shape). */
export interface ComparableFinding {
  id: string;
  dedupeKey: string;
  ruleId: string;
  ruleVersion: string;
  family: string | null;
  severity: string;
  dimension: string;
  description: string;
  evidenceText: string | null;
  segmentIndex: number | null;
  charStart: number | null;
  charEnd: number | null;
  startSeconds: number | null;
  endSeconds: number | null;
}

export interface FindingDiff {
  /** new findings and kept ones whose content changed: written by (call, dedupe key) */
  upserts: FindingDraft[];
  /** stored findings the rules no longer raise */
  deleteIds: string[];
  added: number;
  removed: number;
  updated: number;
  /** whether the call's score can change: a finding came or went, or one's severity, dimension or family changed */
  rescore: boolean;
}

const n = <T>(v: T | undefined): T | null => (v === undefined ? null : v);

/**
 * What must change in a call's stored rule findings to match a fresh run of the rules. Identity is the dedupe key
 * (rule and place, not version), as in the check stage; a finding the same in every field is left alone.
 */
export function diffFindings(existing: readonly ComparableFinding[], drafts: readonly FindingDraft[]): FindingDiff {
  const fresh = new Map<string, FindingDraft>();
  for (const d of drafts) fresh.set(d.dedupeKey, d);
  const stored = new Map(existing.map((f) => [f.dedupeKey, f]));
  const diff: FindingDiff = { upserts: [], deleteIds: [], added: 0, removed: 0, updated: 0, rescore: false };
  for (const [key, d] of fresh) {
    const old = stored.get(key);
    if (!old) {
      diff.upserts.push(d);
      diff.added++;
      diff.rescore = true;
      continue;
    }
    const scoring = old.severity !== d.severity || old.dimension !== d.dimension || old.family !== n(d.family) || old.ruleId !== d.ruleId;
    const other =
      old.ruleVersion !== d.ruleVersion ||
      old.description !== d.description ||
      old.evidenceText !== n(d.evidence?.text) ||
      old.segmentIndex !== n(d.evidence?.segmentIndex) ||
      old.charStart !== n(d.evidence?.charStart) ||
      old.charEnd !== n(d.evidence?.charEnd) ||
      old.startSeconds !== n(d.evidence?.startSeconds) ||
      old.endSeconds !== n(d.evidence?.endSeconds);
    if (scoring || other) {
      diff.upserts.push(d);
      diff.updated++;
      if (scoring) diff.rescore = true;
    }
  }
  for (const [key, f] of stored) {
    if (fresh.has(key)) continue;
    diff.deleteIds.push(f.id);
    diff.removed++;
    diff.rescore = true;
  }
  return diff;
}
