import { Tooltip } from '@mantine/core';
import { ToneBadge } from '../components/badges.js';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../format.js';
import { RATE_METRICS, type FigureView } from './dashboards-api.js';

const TONES = { good: 'teal', warning: 'yellow', alert: 'red' } as const;

/** A metric's value in the form it is read: percentages for rates, seconds for handle time, one decimal otherwise. */
export function useFigureFormat() {
  const format = useFormat();
  return (metric: string, value: number | null | undefined) =>
    value === null || value === undefined
      ? '—'
      : RATE_METRICS.has(metric)
        ? format.number(value * 100, 1) + '%'
        : metric === 'averageHandleSeconds'
          ? format.duration(value)
          : format.number(value, metric === 'qaScoreMean' ? 0 : 2);
}

/**
 * One judged figure: its value, its threshold state as a coloured badge, and the sample it rests on. Below the minimum
 * sample it says so instead. Plain elements around the badge: a team's drill-down draws some 800 of these, and four
 * Mantine components a cell were most of its render time.
 */
export function FigureCell({ metric, figure }: { metric: string; figure: FigureView | undefined }) {
  const { t } = useTranslation();
  const show = useFigureFormat();
  if (!figure) return <span className="figure-value">—</span>;
  const tone = figure.state === 'good' || figure.state === 'warning' || figure.state === 'alert' ? TONES[figure.state] : null;
  return (
    <span className="figure" data-state={figure.state} data-metric={metric}>
      <span className="figure-value">{show(metric, figure.value)}</span>
      {tone ? (
        <ToneBadge size="xs" tone={tone} filled={figure.state === 'alert'}>
          {t(`dash.state.${figure.state}`)}
        </ToneBadge>
      ) : figure.state === 'below_min_sample' ? (
        <Tooltip label={t('dash.belowMinSampleHint', { minSample: figure.minSample })}>
          <span className="figure-note figure-below-sample">{t('dash.state.below_min_sample')}</span>
        </Tooltip>
      ) : null}
      <span className="figure-note">{t('dash.sample', { n: figure.sample })}</span>
    </span>
  );
}
