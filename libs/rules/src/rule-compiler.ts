import { PhraseAutomaton } from './phrase-automaton.js';
import { phraseVariants } from './phrase-variants.js';
import type { Condition, NegationConfig, Rule, RulePack } from './rule-pack.schema.js';
import { negationSchema } from './rule-pack.schema.js';
import { compilePattern, type PatternMatcher } from './pattern-matcher.js';
import { engineFor, validateRulePack, RulePackValidationError, type RulePackValidationOptions } from './rule-pack.validator.js';

export type CompiledNode =
  | { t: 'leaf'; leaf: number }
  | { t: 'near'; a: CompiledNode; b: CompiledNode; within: number; unit: 'words' | 'chars' | 'auto'; ordered: boolean }
  | { t: 'all'; children: CompiledNode[] }
  | { t: 'any'; children: CompiledNode[] }
  | { t: 'not'; child: CompiledNode };

export interface RegexLeaf {
  regex: PatternMatcher;
  /** anchor leaf ids: the regex only runs on segments where one of them occurs; empty = runs over the whole call */
  anchored: boolean;
}

export interface LeafInfo {
  rule: number;
  /** set for regex leaves */
  regex?: RegexLeaf;
  /** set for anchor leaves: the regex leaf they unlock */
  anchorFor?: number;
}

export interface CueGroups {
  before: number;
  adjacentBefore: number;
  after: number;
  breakers: number;
  windowWords: number;
  windowChars: number;
  afterWindowWords: number;
  afterWindowChars: number;
}

export interface CompiledRule {
  index: number;
  rule: Rule;
  packId: string;
  packVersion: string;
  language: 'en' | 'zh' | 'any';
  ruleVersion: string;
  match: CompiledNode;
  when: CompiledNode | null;
  negation: CueGroups | null;
  unless: { before: number; after: number; windows: CueGroups } | null;
  /** leaves whose hits make the rule worth evaluating on a segment */
  triggerLeaves: number[];
}

/** A rule pack (or several) compiled into one phrase automaton plus per-rule condition trees. Immutable; share it. */
export interface CompiledRules {
  rules: CompiledRule[];
  automaton: PhraseAutomaton;
  /** pattern id -> the normalised phrase the automaton looks for */
  patternTexts: readonly string[];
  /** pattern id -> sinks: leaf id (>= 0) or cue group id encoded as -(group + 1) */
  sinkStart: Int32Array;
  sinks: Int32Array;
  leaves: LeafInfo[];
  cueGroupCount: number;
  unanchoredRegexLeaves: number[];
  packs: { id: string; version: string; language: string }[];
  /** rule id -> families whose finding in the same segment drops this rule's (rules with `yieldsTo` only) */
  yields: Map<string, readonly string[]>;
}

const NO_NEGATION = negationSchema.parse({});

class Builder {
  constructor(private readonly engine: RulePackValidationOptions) {}

  patterns = new Map<string, number>();
  patternSinks: number[][] = [];
  leaves: LeafInfo[] = [];
  cueGroupCount = 0;
  unanchored: number[] = [];

  addPattern(text: string, sink: number): void {
    let id = this.patterns.get(text);
    if (id === undefined) {
      id = this.patternSinks.length;
      this.patterns.set(text, id);
      this.patternSinks.push([]);
    }
    const sinks = this.patternSinks[id] as number[];
    if (!sinks.includes(sink)) sinks.push(sink);
  }

  addPhrases(phrases: readonly string[], sink: number): void {
    for (const phrase of phrases) for (const v of phraseVariants(phrase)) this.addPattern(v, sink);
  }

  cueGroup(phrases: readonly string[]): number {
    const group = this.cueGroupCount++;
    this.addPhrases(phrases, -(group + 1));
    return group;
  }

  cueGroups(cfg: NegationConfig): CueGroups {
    return {
      before: this.cueGroup(cfg.before),
      adjacentBefore: this.cueGroup(cfg.adjacentBefore),
      after: this.cueGroup(cfg.after),
      breakers: this.cueGroup(cfg.breakers),
      windowWords: cfg.windowWords,
      windowChars: cfg.windowChars,
      afterWindowWords: cfg.afterWindowWords,
      afterWindowChars: cfg.afterWindowChars,
    };
  }

  node(cond: Condition, rule: number, triggers: number[]): CompiledNode {
    if ('phrases' in cond) {
      const leaf = this.leaves.push({ rule }) - 1;
      this.addPhrases(cond.phrases, leaf);
      triggers.push(leaf);
      return { t: 'leaf', leaf };
    }
    if ('regex' in cond) {
      const anchored = (cond.anchors?.length ?? 0) > 0;
      const leaf = this.leaves.push({ rule, regex: { regex: compilePattern(cond.regex, cond.flags, engineFor(cond.regex, this.engine)), anchored } }) - 1;
      triggers.push(leaf);
      if (anchored) {
        const anchor = this.leaves.push({ rule, anchorFor: leaf }) - 1;
        this.addPhrases(cond.anchors ?? [], anchor);
      } else {
        this.unanchored.push(leaf);
      }
      return { t: 'leaf', leaf };
    }
    if ('near' in cond) {
      const [a, b] = this.necessary([cond.near[0], cond.near[1]], rule, triggers);
      return {
        t: 'near',
        a: a as CompiledNode,
        b: b as CompiledNode,
        within: cond.within,
        unit: cond.unit ?? 'auto',
        ordered: cond.ordered ?? false,
      };
    }
    if ('all' in cond) return { t: 'all', children: this.necessary(cond.all, rule, triggers) };
    if ('any' in cond) return { t: 'any', children: cond.any.map((c) => this.node(c, rule, triggers)) };
    // leaves under "not" must not trigger evaluation by themselves
    return { t: 'not', child: this.node(cond.not, rule, []) };
  }

  /**
   * Children that must all match (all, near): any one of them is enough to pick the segments worth evaluating, so
   * only the first child that has trigger leaves contributes them. Authors put the rarest condition first; a common
   * context word later in the list then no longer makes the rule run on every segment that mentions it.
   */
  necessary(conds: readonly Condition[], rule: number, triggers: number[]): CompiledNode[] {
    let taken = false;
    return conds.map((c) => {
      const own: number[] = [];
      const node = this.node(c, rule, own);
      if (!taken && own.length > 0) {
        triggers.push(...own);
        taken = true;
      }
      return node;
    });
  }
}

/**
 * Compiles one or more packs (validated here) into a single matcher; throws RulePackValidationError on bad input.
 * Regexes run on the linear-time engine unless `patterns: 'native'` says the packs are trusted (shipped or deployed).
 */
export function compileRulePack(input: RulePack | readonly RulePack[], options: RulePackValidationOptions = {}): CompiledRules {
  const packs = (Array.isArray(input) ? input : [input]).map((p: unknown) => validateRulePack(p, options));
  const b = new Builder(options);
  const rules: CompiledRule[] = [];
  const ids = new Set<string>();
  for (const pack of packs) {
    // the cue phrases are found in every call, so they enter the automaton only when a rule of the pack reads them
    const cued = pack.rules.some((r) => r.enabled && (r.negationAware || r.unless));
    const negation = cued ? b.cueGroups(pack.negation ?? NO_NEGATION) : null;
    for (const rule of pack.rules) {
      if (!rule.enabled) continue;
      if (ids.has(rule.id)) throw new RulePackValidationError([`${pack.id}: rule id "${rule.id}" is used by another pack`]);
      ids.add(rule.id);
      const index = rules.length;
      const triggers: number[] = [];
      const match = b.node(rule.match, index, triggers);
      const when = rule.when ? b.node(rule.when, index, []) : null;
      let unless: CompiledRule['unless'] = null;
      if (rule.unless) {
        unless = { before: b.cueGroup(rule.unless.before), after: b.cueGroup(rule.unless.after), windows: negation as CueGroups };
      }
      rules.push({
        index,
        rule,
        packId: pack.id,
        packVersion: pack.version,
        language: pack.language,
        ruleVersion: `${pack.id}@${pack.version}#${rule.version}`,
        match,
        when,
        negation: rule.negationAware ? negation : null,
        unless,
        triggerLeaves: triggers,
      });
    }
  }
  const patternTexts = [...b.patterns.keys()];
  const sinkStart = new Int32Array(patternTexts.length + 1);
  const flat: number[] = [];
  b.patternSinks.forEach((sinks, id) => {
    sinkStart[id] = flat.length;
    flat.push(...sinks);
  });
  sinkStart[patternTexts.length] = flat.length;
  return {
    rules,
    automaton: new PhraseAutomaton(patternTexts),
    patternTexts,
    sinkStart,
    sinks: Int32Array.from(flat),
    leaves: b.leaves,
    cueGroupCount: b.cueGroupCount,
    unanchoredRegexLeaves: b.unanchored,
    packs: packs.map((p) => ({ id: p.id, version: p.version, language: p.language })),
    yields: new Map(rules.flatMap((r) => (r.rule.yieldsTo?.length ? [[r.rule.id, r.rule.yieldsTo] as const] : []))),
  };
}


/**
 * Normalised phrases of which one occurs in the normalised text of every call where any of these rules can fire
 * (each rule fires only on a segment where one of its trigger phrases or regex anchors was found), so a search for
 * them narrows a set of calls without losing a hit. Null when some rule can fire without any: a required-phrase
 * rule (it fires on absence) or a regex without anchors.
 */
export function necessaryPhrases(compiled: CompiledRules): string[] | null {
  const wanted = new Set<number>();
  for (const rule of compiled.rules) {
    if (rule.rule.required) return null;
    for (const leaf of rule.triggerLeaves) {
      const regex = compiled.leaves[leaf]?.regex;
      if (!regex) {
        wanted.add(leaf);
        continue;
      }
      if (!regex.anchored) return null;
      compiled.leaves.forEach((info, id) => {
        if (info.anchorFor === leaf) wanted.add(id);
      });
    }
  }
  const { patternTexts, sinkStart, sinks } = compiled;
  return patternTexts.filter((_, p) => {
    for (let k = sinkStart[p] as number; k < (sinkStart[p + 1] as number); k++) if (wanted.has(sinks[k] as number)) return true;
    return false;
  });
}
