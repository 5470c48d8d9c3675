import { isWordChar } from './text-normaliser.js';

/** Up to this many patterns, one native substring search each beats a pass of the automaton over the text. */
const FEW_PATTERNS = 8;

// Normalised text holds few ASCII characters: letters, digits, space, "|", "\n", "%", "$", "."; every other ASCII
// character maps to class 0, which no pattern contains.
const ASCII_CLASS = new Uint8Array(128);
let ASCII_WIDTH = 1;
for (const ch of 'abcdefghijklmnopqrstuvwxyz0123456789 |\n%$.') ASCII_CLASS[ch.charCodeAt(0)] = ASCII_WIDTH++;

/** Growable flat list of (pattern, start, end) triples. */
export class HitList {
  data = new Int32Array(256);
  length = 0;

  push(pattern: number, start: number, end: number): void {
    if (this.length + 3 > this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length] = pattern;
    this.data[this.length + 1] = start;
    this.data[this.length + 2] = end;
    this.length += 3;
  }
}

/**
 * Aho-Corasick automaton over all phrases of all rules: one pass over the text finds every occurrence of every
 * phrase, whatever the number of rules. Phrases starting or ending with a letter or digit only match at word
 * boundaries (so "con" does not match inside "icon"); CJK phrases match anywhere.
 */
export class PhraseAutomaton {
  readonly patternCount: number;
  private readonly rootNext = new Int32Array(0x10000);
  private readonly fail: Int32Array;
  private readonly outStart: Int32Array;
  private readonly outEnd: Int32Array;
  private readonly outputs: Int32Array;
  private readonly patLen: Int32Array;
  private readonly patBound: Uint8Array;
  private readonly hashNode: Int32Array;
  private readonly hashChar: Uint16Array;
  private readonly hashNext: Int32Array;
  private readonly hashShift: number;
  private readonly hashMask: number;
  /** the patterns, when there are so few that a native substring search per pattern is faster than the automaton */
  private readonly few: readonly string[] | null;
  /** full goto table for ASCII input: asciiNext[node * ASCII_WIDTH + class] (no failure walks for Latin text) */
  private readonly asciiNext: Int32Array;

  constructor(patterns: readonly string[]) {
    this.patternCount = patterns.length;
    this.few = patterns.length <= FEW_PATTERNS ? patterns : null;
    const children: Map<number, number>[] = [new Map()];
    const own: number[][] = [[]];
    this.patLen = new Int32Array(patterns.length);
    this.patBound = new Uint8Array(patterns.length);
    patterns.forEach((p, id) => {
      let node = 0;
      for (let i = 0; i < p.length; i++) {
        const c = p.charCodeAt(i);
        const map = children[node] as Map<number, number>;
        let next = map.get(c);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          own.push([]);
          map.set(c, next);
        }
        node = next;
      }
      (own[node] as number[]).push(id);
      this.patLen[id] = p.length;
      this.patBound[id] = (isWordChar(p.charCodeAt(0)) ? 1 : 0) | (isWordChar(p.charCodeAt(p.length - 1)) ? 2 : 0);
    });
    const nodes = children.length;
    const fail = new Int32Array(nodes);
    const outLists: number[][] = new Array<number[]>(nodes);
    outLists[0] = [];
    const queue: number[] = [];
    for (const [c, child] of children[0] as Map<number, number>) {
      this.rootNext[c] = child;
      fail[child] = 0;
      queue.push(child);
    }
    const step = (state: number, c: number): number => {
      for (;;) {
        const next = (children[state] as Map<number, number>).get(c);
        if (next !== undefined) return next;
        if (state === 0) return 0;
        state = fail[state] as number;
      }
    };
    for (let qi = 0; qi < queue.length; qi++) {
      const node = queue[qi] as number;
      outLists[node] = [...(own[node] as number[]), ...(outLists[fail[node] as number] as number[])];
      for (const [c, child] of children[node] as Map<number, number>) {
        fail[child] = step(fail[node] as number, c);
        queue.push(child);
      }
    }
    this.fail = fail;
    const asciiNext = new Int32Array(nodes * ASCII_WIDTH);
    const order = [0, ...queue];
    for (const node of order) {
      const base = node * ASCII_WIDTH;
      for (let c = 0; c < 128; c++) {
        const cls = ASCII_CLASS[c] as number;
        if (cls === 0) continue;
        const child = (children[node] as Map<number, number>).get(c);
        if (child !== undefined) asciiNext[base + cls] = child;
        else asciiNext[base + cls] = node === 0 ? 0 : (asciiNext[(fail[node] as number) * ASCII_WIDTH + cls] as number);
      }
    }
    this.asciiNext = asciiNext;
    this.outStart = new Int32Array(nodes);
    this.outEnd = new Int32Array(nodes);
    const flat: number[] = [];
    for (let n = 0; n < nodes; n++) {
      this.outStart[n] = flat.length;
      for (const id of outLists[n] as number[]) flat.push(id);
      this.outEnd[n] = flat.length;
    }
    this.outputs = Int32Array.from(flat);

    let edges = 0;
    for (let n = 1; n < nodes; n++) edges += (children[n] as Map<number, number>).size;
    let bits = 4;
    while (1 << bits < edges * 2) bits++;
    this.hashShift = 32 - bits;
    this.hashMask = (1 << bits) - 1;
    this.hashNode = new Int32Array(1 << bits).fill(-1);
    this.hashChar = new Uint16Array(1 << bits);
    this.hashNext = new Int32Array(1 << bits);
    for (let n = 1; n < nodes; n++) {
      for (const [c, child] of children[n] as Map<number, number>) {
        let h = this.hash(n, c);
        while ((this.hashNode[h] as number) !== -1) h = (h + 1) & this.hashMask;
        this.hashNode[h] = n;
        this.hashChar[h] = c;
        this.hashNext[h] = child;
      }
    }
  }

  private hash(node: number, c: number): number {
    return Math.imul((node << 16) ^ (node >>> 16) ^ c, 0x9e3779b1) >>> this.hashShift;
  }

  private child(node: number, c: number): number {
    const hashNode = this.hashNode;
    let h = Math.imul((node << 16) ^ (node >>> 16) ^ c, 0x9e3779b1) >>> this.hashShift;
    for (;;) {
      const n = hashNode[h] as number;
      if (n === -1) return -1;
      if (n === node && this.hashChar[h] === c) return this.hashNext[h] as number;
      h = (h + 1) & this.hashMask;
    }
  }

  /** The same occurrences as the automaton finds, in the same order (by end, the longer first), by String.indexOf. */
  private scanFew(patterns: readonly string[], text: string, hits: HitList): void {
    const found: number[] = [];
    const n = text.length;
    patterns.forEach((p, id) => {
      const bound = this.patBound[id] as number;
      for (let start = text.indexOf(p); start >= 0; start = text.indexOf(p, start + 1)) {
        const end = start + p.length;
        if ((bound & 1) !== 0 && start > 0 && isWordChar(text.charCodeAt(start - 1))) continue;
        if ((bound & 2) !== 0 && end < n && isWordChar(text.charCodeAt(end))) continue;
        found.push(id, start, end);
      }
    });
    const order = Array.from({ length: found.length / 3 }, (_, k) => k * 3);
    if (patterns.length > 1) order.sort((a, b) => (found[a + 2] as number) - (found[b + 2] as number) || (found[a + 1] as number) - (found[b + 1] as number));
    for (const k of order) hits.push(found[k] as number, found[k + 1] as number, found[k + 2] as number);
  }

  /** Appends every (pattern id, start, end) occurrence in `text` to `hits`, in order of end position. */
  scan(text: string, hits: HitList): void {
    if (this.few) {
      this.scanFew(this.few, text, hits);
      return;
    }
    const n = text.length;
    const rootNext = this.rootNext;
    const fail = this.fail;
    const outStart = this.outStart;
    const outEnd = this.outEnd;
    const asciiNext = this.asciiNext;
    let state = 0;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c < 128) {
        state = asciiNext[state * ASCII_WIDTH + (ASCII_CLASS[c] as number)] as number;
      } else for (;;) {
        if (state === 0) {
          state = rootNext[c] as number;
          break;
        }
        const next = this.child(state, c);
        if (next !== -1) {
          state = next;
          break;
        }
        state = fail[state] as number;
      }
      const o0 = outStart[state] as number;
      const o1 = outEnd[state] as number;
      for (let k = o0; k < o1; k++) {
        const id = this.outputs[k] as number;
        const end = i + 1;
        const start = end - (this.patLen[id] as number);
        const bound = this.patBound[id] as number;
        if ((bound & 1) !== 0 && start > 0 && isWordChar(text.charCodeAt(start - 1))) continue;
        if ((bound & 2) !== 0 && end < n && isWordChar(text.charCodeAt(end))) continue;
        hits.push(id, start, end);
      }
    }
  }
}
