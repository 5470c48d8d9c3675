import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NormalisedTranscript, TranscriptSegment } from '#libs/domain';
import { loadShippedPacks } from '#libs/rule-packs';
import { compileRulePack, necessaryPhrases } from './rule-compiler.js';
import { runRules, runRulesOnSearchable } from './rule-engine.js';
import { decodeSearchSegments, encodeSearchSegments, searchableTranscript } from './searchable-transcript.js';

// Every line of the project's labelled fixtures (single utterances and short dialogues), grouped into calls of 25
// segments with alternating times, in each language: the transcripts the two paths must agree on.
const fixtures = join(dirname(fileURLToPath(import.meta.url)), '../fixtures');
function fixtureCalls(): NormalisedTranscript[] {
  const byLanguage = new Map<string, TranscriptSegment[]>();
  for (const file of readdirSync(fixtures).filter((f) => f.endsWith('.jsonl'))) {
    for (const line of readFileSync(join(fixtures, file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const row = JSON.parse(line) as { text?: string; speaker?: 'agent' | 'customer'; lang?: string; turns?: { speaker: 'agent' | 'customer'; text: string }[] };
      const turns = row.turns ?? [{ speaker: row.speaker ?? 'agent', text: row.text ?? '' }];
      const list = byLanguage.get(row.lang ?? 'zh') ?? [];
      for (const t of turns) list.push({ speaker: list.length % 7 === 6 ? 'unknown' : t.speaker, start: list.length * 4, end: list.length * 4 + 3.5, text: t.text });
      byLanguage.set(row.lang ?? 'zh', list);
    }
  }
  const calls: NormalisedTranscript[] = [];
  for (const [language, segments] of byLanguage) {
    for (let i = 0; i < segments.length; i += 25) {
      const part = segments.slice(i, i + 25).map((s, k) => ({ ...s, start: k * 4, end: k * 4 + 3.5 }));
      calls.push({ provider: 'test', rolesSource: 'channel', language, segments: part });
    }
  }
  return calls;
}

const calls = fixtureCalls();
const packs = loadShippedPacks();
const compiled = compileRulePack(packs, { patterns: 'native' });
const where = (findings: { ruleId: string; evidence?: { segmentIndex?: number } }[]) => findings.map((f) => `${f.ruleId}@${f.evidence?.segmentIndex ?? '-'}`).sort();

describe('the searchable form of a transcript', () => {
  it('covers enough calls to mean something', () => {
    expect(calls.length).toBeGreaterThan(20);
    expect(calls.reduce((n, c) => n + runRules(compiled, c).length, 0)).toBeGreaterThan(100);
  });

  it('makes the shipped rules fire on the same segments as the transcript itself does', () => {
    for (const call of calls) {
      const searchable = searchableTranscript(call.segments, call.language);
      expect(where(runRulesOnSearchable(compiled, searchable, { callDurationSeconds: 100 }))).toEqual(where(runRules(compiled, call, { callDurationSeconds: 100 })));
    }
  });

  it('stores speakers and times exactly, and reads them back', () => {
    const segments = [
      { speaker: 'agent' as const, start: 0.1 + 0.2, end: 29.999999999, text: 'a' },
      { speaker: 'unknown' as const, start: 30, end: 1e6 / 3, text: 'b' },
      { speaker: 'customer' as const, start: 1e6 / 3, end: 1e6, text: 'c' },
    ];
    const searchable = searchableTranscript(segments);
    const stored = encodeSearchSegments(searchable);
    expect(stored).not.toContain('\n');
    const read = decodeSearchSegments(stored);
    expect(read.speakers).toBe('auc');
    expect(Array.from(read.times)).toEqual(segments.flatMap((s) => [s.start, s.end]));
    expect(decodeSearchSegments(encodeSearchSegments(searchableTranscript([])))).toEqual({ speakers: '', times: new Float64Array(0) });
  });

  it('quotes the normalised text of the segment that fired, with its times', () => {
    const call: NormalisedTranscript = {
      provider: 'test',
      rolesSource: 'channel',
      language: 'en',
      segments: [
        { speaker: 'customer', start: 0, end: 2, text: 'Hello?' },
        { speaker: 'agent', start: 2, end: 9, text: 'This fund has GUARANTEED returns, honestly.' },
      ],
    };
    const hit = runRulesOnSearchable(compiled, searchableTranscript(call.segments, 'en')).find((f) => f.family === 'guaranteed_returns');
    expect(hit?.evidence).toMatchObject({ segmentIndex: 1, startSeconds: 2, endSeconds: 9 });
    expect(hit?.evidence?.text).toContain('guaranteed returns');
  });
});

describe('necessaryPhrases', () => {
  it('finds one of its phrases in the searchable text of every call where a rule fires', () => {
    let narrowed = 0;
    for (const pack of packs) {
      for (const rule of pack.rules) {
        const one = compileRulePack({ ...pack, rules: [rule] }, { patterns: 'native' });
        const phrases = necessaryPhrases(one);
        if (phrases === null) {
          expect(rule.required === true || JSON.stringify(rule.match).includes('regex')).toBe(true);
          continue;
        }
        narrowed++;
        for (const call of calls) {
          if (runRules(one, call).length === 0) continue;
          const text = searchableTranscript(call.segments).text;
          expect(phrases.some((p) => text.includes(p))).toBe(true);
        }
      }
    }
    expect(narrowed).toBeGreaterThan(20);
  });

  it('says a required phrase or a regex without anchors cannot narrow, and an anchored regex narrows by its anchors', () => {
    const base = { version: 1, family: 'pressure_tactics', severity: 'minor', dimension: 'compliance', description: 'd', regulation: 'r', speaker: 'any' } as const;
    const pack = (match: object, extra: object = {}) => compileRulePack({ id: 'p', version: '1.0.0', language: 'en', rules: [{ ...base, id: 'r', match, ...extra }] } as never);
    expect(necessaryPhrases(pack({ phrases: ['call is recorded'] }, { required: true }))).toBeNull();
    expect(necessaryPhrases(pack({ regex: 'only \\d+ left' }))).toBeNull();
    expect(necessaryPhrases(pack({ regex: 'only \\d+ left', anchors: ['Only'] }))).toEqual(['only']);
    expect(necessaryPhrases(pack({ all: [{ phrases: ['Sign today'] }, { not: { phrases: ['no pressure'] } }] }))).toEqual(['sign today']);
    expect(necessaryPhrases(pack({ phrases: ["don't wait"] }))?.sort()).toEqual(['do not wait', 'dont wait']);
  });
});
