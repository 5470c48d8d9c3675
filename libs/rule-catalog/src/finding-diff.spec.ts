import type { FindingDraft } from '#libs/domain';
import { type ComparableFinding, diffFindings } from './finding-diff.js';

const draft = (key: string, extra: Partial<FindingDraft> = {}): FindingDraft => ({
  dedupeKey: key,
  source: 'rule',
  ruleId: `r.${key}`,
  ruleVersion: '1.0.0',
  family: 'guaranteed_returns',
  severity: 'critical',
  dimension: 'compliance',
  description: 'd',
  evidence: { text: 'to the moon', segmentIndex: 1, charStart: 3, charEnd: 14, startSeconds: 2.5, endSeconds: 4 },
  ...extra,
});

const stored = (d: FindingDraft, id = `id-${d.dedupeKey}`): ComparableFinding => ({
  id,
  dedupeKey: d.dedupeKey,
  ruleId: d.ruleId,
  ruleVersion: d.ruleVersion,
  family: d.family ?? null,
  severity: d.severity,
  dimension: d.dimension,
  description: d.description,
  evidenceText: d.evidence?.text ?? null,
  segmentIndex: d.evidence?.segmentIndex ?? null,
  charStart: d.evidence?.charStart ?? null,
  charEnd: d.evidence?.charEnd ?? null,
  startSeconds: d.evidence?.startSeconds ?? null,
  endSeconds: d.evidence?.endSeconds ?? null,
});

describe('diffFindings', () => {
  it('leaves identical findings alone and asks for no re-score', () => {
    const a = draft('a');
    expect(diffFindings([stored(a)], [a])).toEqual({ upserts: [], deleteIds: [], added: 0, removed: 0, updated: 0, rescore: false });
  });

  it('adds new, removes gone, and re-scores', () => {
    const a = draft('a');
    const b = draft('b');
    const diff = diffFindings([stored(a)], [b]);
    expect(diff).toMatchObject({ added: 1, removed: 1, updated: 0, rescore: true, deleteIds: ['id-a'] });
    expect(diff.upserts.map((d) => d.dedupeKey)).toEqual(['b']);
  });

  it('updates a new version in place without a re-score, but re-scores a severity change', () => {
    const a = draft('a');
    const versioned = diffFindings([stored(a)], [draft('a', { ruleVersion: '2.0.0' })]);
    expect(versioned).toMatchObject({ added: 0, removed: 0, updated: 1, rescore: false });
    const severer = diffFindings([stored(a)], [draft('a', { severity: 'minor' })]);
    expect(severer).toMatchObject({ updated: 1, rescore: true });
  });

  it('writes one finding per dedupe key even when the rules repeat one', () => {
    const diff = diffFindings([], [draft('a'), draft('a', { description: 'later' })]);
    expect(diff.upserts).toHaveLength(1);
    expect(diff.upserts[0]?.description).toBe('later');
    expect(diff.added).toBe(1);
  });
});
