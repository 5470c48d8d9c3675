import { Group, Text, Tooltip } from '@mantine/core';
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

/** One judged figure: its value, its threshold state as a coloured badge, and the sample it rests on. Below the minimum sample it says so instead. */
export function FigureCell({ metric, figure }: { metric: string; figure: FigureView | undefined }) {
  const { t } = useTranslation();
  const show = useFigureFormat();
  if (!figure) return <Text size="sm">—</Text>;
  const tone = figure.state === 'good' || figure.state === 'warning' || figure.state === 'alert' ? TONES[figure.state] : null;
  return (
    <Group gap={4} wrap="nowrap" data-state={figure.state} data-metric={metric}>
      <Text size="sm" fw={500}>
        {show(metric, figure.value)}
      </Text>
      {tone ? (
        <ToneBadge size="xs" tone={tone} filled={figure.state === 'alert'}>
          {t(`dash.state.${figure.state}`)}
        </ToneBadge>
      ) : figure.state === 'below_min_sample' ? (
        <Tooltip label={t('dash.belowMinSampleHint', { minSample: figure.minSample })}>
          <Text size="xs" c="dimmed" fs="italic">
            {t('dash.state.below_min_sample')}
          </Text>
        </Tooltip>
      ) : null}
      <Text size="xs" c="dimmed">
        {t('dash.sample', { n: figure.sample })}
      </Text>
    </Group>
  );
}
