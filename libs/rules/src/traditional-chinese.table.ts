import { from as openccFrom, to as openccTo } from 'opencc-js/preset/t2cn';
import type { DictGroup, DictLike } from 'opencc-js/core';

let table: Uint16Array | null = null;

function eachEntry(dict: DictLike, visit: (key: string, value: string) => void): void {
  if (typeof dict === 'string') {
    for (const entry of dict.split('|')) {
      const [key, value] = entry.split(' ');
      if (key !== undefined && value !== undefined) visit(key, value);
    }
  } else {
    for (const [key, value] of dict) visit(key, value.split(' ')[0] ?? value);
  }
}

function singleUnit(s: string): number | null {
  return s.length === 1 ? s.charCodeAt(0) : null;
}

/**
 * Character-level traditional -> simplified table from OpenCC's dictionaries (TSCharacters plus the Taiwan and
 * Hong Kong variant tables). Character-level, not phrase-level, so every output character keeps its input
 * position: evidence spans map back to the original text exactly. 0 means "unchanged".
 */
export function traditionalToSimplifiedTable(): Uint16Array {
  if (table) return table;
  const t = new Uint16Array(0x10000);
  const groups: readonly DictGroup[] = openccTo['cn'] ?? [];
  for (const group of groups) {
    for (const dict of group) {
      eachEntry(dict, (key, value) => {
        const k = singleUnit(key);
        const v = singleUnit(value);
        if (k !== null && v !== null && k !== v && t[k] === 0) t[k] = v;
      });
    }
  }
  for (const region of ['tw', 'hk']) {
    for (const group of openccFrom[region] ?? []) {
      for (const dict of group) {
        eachEntry(dict, (key, value) => {
          const k = singleUnit(key);
          const v = singleUnit(value);
          // Only follow a variant when its standard form really simplifies; "么 -> 幺" would corrupt simplified text.
          if (k !== null && v !== null && t[k] === 0 && t[v] !== 0) t[k] = t[v] as number;
        });
      }
    }
  }
  table = t;
  return t;
}
