import { memo, useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallFindingView } from '#libs/api-contract';
import type { TranscriptSegment } from '#libs/domain';
import { clock } from '../format.js';
import { evidenceSpan, type Span, splitBySpans } from '../highlight.js';

/** Index of the turn playing at `seconds`: the last one that started at or before it (the first, before any has). */
export function currentTurn(segments: TranscriptSegment[], seconds: number): number {
  let low = 0;
  let high = segments.length - 1;
  let found = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if ((segments[mid] as TranscriptSegment).start <= seconds + 0.05) {
      found = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  return found < 0 && segments.length > 0 ? 0 : found;
}

/** Speaker turns that follow playback; a click seeks to the turn; findings' evidence is highlighted in place. */
export function TranscriptView({ segments, findings, seconds, following, onSeek }: { segments: TranscriptSegment[]; findings: CallFindingView[]; seconds: number; following: boolean; onSeek: (seconds: number) => void }) {
  const spansBySegment = useMemo(() => {
    const spans = new Map<number, Span[]>();
    for (const finding of findings) {
      const index = finding.evidence?.segmentIndex;
      if (index === undefined || finding.reviewState === 'dismissed') continue;
      const segment = segments[index];
      const span = segment ? evidenceSpan(segment.text, finding.evidence) : null;
      if (span) spans.set(index, [...(spans.get(index) ?? []), span]);
    }
    return spans;
  }, [segments, findings]);
  const current = currentTurn(segments, seconds);
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    if (!following || current < 0) return;
    list.current?.querySelector(`[data-index="${current}"]`)?.scrollIntoView({ block: 'nearest' });
  }, [current, following]);
  return (
    <ol ref={list} className="transcript-scroll" style={{ listStyle: 'none', margin: 0, padding: 0 }} data-testid="transcript">
      {segments.map((segment, index) => (
        <Turn key={index} index={index} segment={segment} spans={spansBySegment.get(index)} current={index === current} onSeek={onSeek} />
      ))}
    </ol>
  );
}

const Turn = memo(function Turn({ index, segment, spans, current, onSeek }: { index: number; segment: TranscriptSegment; spans: Span[] | undefined; current: boolean; onSeek: (seconds: number) => void }) {
  const { t } = useTranslation();
  const pieces = spans ? splitBySpans(segment.text, spans) : [{ text: segment.text, highlighted: false }];
  return (
    <li
      className="turn"
      data-index={index}
      data-current={current}
      data-speaker={segment.speaker}
      aria-current={current ? 'true' : undefined}
      tabIndex={0}
      onClick={() => onSeek(segment.start)}
      onKeyDown={(event) => {
        if (event.key === 'Enter') onSeek(segment.start);
      }}
    >
      {/* plain elements: a 60-minute call has a thousand turns, and each component costs render time */}
      <span className="speaker">
        {t(`speaker.${segment.speaker}`)} · {clock(segment.start)}
      </span>
      <p className="turn-text" lang={/[\u4e00-\u9fff]/.test(segment.text) ? 'zh-CN' : undefined}>
        {pieces.map((piece, i) =>
          piece.highlighted ? (
            <mark key={i} className="evidence">
              {piece.text}
            </mark>
          ) : (
            <span key={i}>{piece.text}</span>
          ),
        )}
      </p>
    </li>
  );
});
