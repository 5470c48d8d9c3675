import type { TranscriptSegment } from '#libs/domain';

const CJK = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/gu;

/** Words in a segment: its timed words when present, else its text (each CJK character counts as a word). */
export function countWords(segment: TranscriptSegment): number {
  if (segment.words && segment.words.length > 0) return segment.words.length;
  const cjk = segment.text.match(CJK)?.length ?? 0;
  const rest = segment.text.replace(CJK, ' ').split(/\s+/u).filter((t) => /[\p{L}\p{N}]/u.test(t)).length;
  return cjk + rest;
}
