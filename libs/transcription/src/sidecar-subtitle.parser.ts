import type { NormalisedTranscript, Speaker, TranscriptSegment } from '#libs/domain';
import { InvalidTranscriptError } from './invalid-transcript.error.js';
import { checkSegments, roleFromName, type SidecarHint } from './sidecar-common.js';

const TIMING = /^\s*((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s+-->\s+((?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})(?:\s+.*)?$/;
const VOICE = /^<v(?:\.[\w.-]+)?\s+([^>]+)>/;
const PREFIX = /^\s*(?:\[([^\]]{1,40})\]|([^:：<>[\]]{1,30})[:：])\s*/;

function seconds(ts: string): number {
  const parts = ts.replace(',', '.').split(':').map(Number);
  return parts.reduce((acc, p) => acc * 60 + p, 0);
}

/**
 * WebVTT or SRT cues with speaker tags: `<v Agent>…`, `Agent: …`, `[Customer] …` (also 坐席：/客户：). Cue text
 * without a tag continues the previous speaker only inside the same cue; an untagged cue is speaker unknown.
 */
export function parseSubtitles(text: string, kind: 'vtt' | 'srt', hint: SidecarHint): NormalisedTranscript {
  const label = kind === 'vtt' ? 'WebVTT' : 'SRT';
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let i = 0;
  if (kind === 'vtt') {
    if (!/^WEBVTT(\s|$)/.test(lines[0] ?? '')) throw new InvalidTranscriptError('invalid WebVTT: the first line must be WEBVTT');
    while (i < lines.length && lines[i].trim() !== '') i++;
  }
  const segments: TranscriptSegment[] = [];
  let cue = 0;
  while (i < lines.length) {
    while (i < lines.length && lines[i].trim() === '') i++;
    if (i >= lines.length) break;
    const blockStart = i;
    const block: string[] = [];
    while (i < lines.length && lines[i].trim() !== '') block.push(lines[i++]);
    if (kind === 'vtt' && /^(NOTE|STYLE|REGION)(\s|$)/.test(block[0])) continue;
    cue++;
    const where = `cue ${cue} (line ${blockStart + 1})`;
    const t = block.findIndex((l) => l.includes('-->'));
    if (t < 0) throw new InvalidTranscriptError(`invalid ${label}: ${where} has no 'start --> end' timing line`);
    if (kind === 'srt' && t === 1 && !/^\d+$/.test(block[0].trim())) {
      throw new InvalidTranscriptError(`invalid SRT: ${where} must start with a cue number, found '${block[0].trim()}'`);
    }
    if (t > 1) throw new InvalidTranscriptError(`invalid ${label}: ${where} has text before its timing line`);
    const m = TIMING.exec(block[t]);
    if (!m) throw new InvalidTranscriptError(`invalid ${label}: ${where}: cannot read timing '${block[t].trim()}'`);
    const start = seconds(m[1]);
    const end = seconds(m[2]);
    const body = block.slice(t + 1);
    if (!body.length) throw new InvalidTranscriptError(`invalid ${label}: ${where} has no text`);
    for (const rawLine of body) {
      let line = rawLine.trim();
      let speakerName: string | undefined;
      const v = VOICE.exec(line);
      if (v) speakerName = v[1].trim();
      else {
        const p = PREFIX.exec(line);
        // A bare 'Word:' counts as a tag only when it names a role; otherwise it is speech ("Note: …").
        if (p && (p[1] !== undefined || roleFromName(p[2], hint) !== 'unknown')) {
          speakerName = (p[1] ?? p[2]).trim();
          line = line.slice(p[0].length);
        }
      }
      line = line.replace(/<\/?[^>]+>/g, '').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&nbsp;/g, ' ').trim();
      if (!line) continue;
      const last = segments[segments.length - 1];
      if (speakerName === undefined && last && last.start === start && last.end === end) {
        last.text += ' ' + line;
        continue;
      }
      const speaker: Speaker = speakerName === undefined ? 'unknown' : roleFromName(speakerName, hint);
      segments.push({ speaker, start, end, text: line });
    }
  }
  if (!segments.length) throw new InvalidTranscriptError(`invalid ${label}: no cues with text`);
  checkSegments(segments, (n) => `invalid ${label}: segment ${n}`);
  const known = segments.some((s) => s.speaker !== 'unknown');
  return {
    provider: 'sidecar',
    model: kind,
    rolesSource: known ? 'sidecar' : 'none',
    ...(known ? { rolesConfidence: 1 } : {}),
    segments,
  };
}
