import { Bar, BarChart, CartesianGrid, ErrorBar, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { RATE_METRICS } from './dashboards-api.js';
import { useFigureFormat } from './figure.js';

export interface TrendPoint {
  period: string;
  value: number | null;
  sample: number;
}

/** A figure per day or week, with its alert line (red, dashed) and target line (green, dotted) when it has them. */
export function TrendChart({ metric, points, alertAt, target, labels }: { metric: string; points: TrendPoint[]; alertAt: number | null; target: number | null; labels: { alert: string; target: string; value: string } }) {
  const show = useFigureFormat();
  const scale = RATE_METRICS.has(metric) ? 100 : 1;
  const data = points.map((p) => ({ period: p.period, value: p.value === null ? null : p.value * scale, sample: p.sample }));
  // percentages and the QA score read on their whole scale, CSAT on 1..5; other figures fit their data
  const domain: [number, number] | undefined = scale === 100 || metric === 'qaScoreMean' ? [0, 100] : metric === 'csatMean' ? [1, 5] : undefined;
  return (
    <div style={{ width: '100%', height: 300 }} data-testid="trend-chart">
      <ResponsiveContainer>
        <LineChart data={data} margin={{ top: 16, right: 24, bottom: 8, left: 8 }} accessibilityLayer>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="period" />
          <YAxis domain={domain ?? ['auto', 'auto']} />
          <Tooltip formatter={(v) => [show(metric, typeof v === 'number' ? v / scale : null), labels.value]} />
          <Line type="monotone" dataKey="value" stroke="#3b5bdb" strokeWidth={2} connectNulls dot isAnimationActive={false} />
          {alertAt !== null && <ReferenceLine y={alertAt * scale} ifOverflow="extendDomain" stroke="#c92a2a" strokeDasharray="6 4" label={{ value: labels.alert, position: 'insideTopLeft', fill: '#c92a2a' }} />}
          {target !== null && <ReferenceLine y={target * scale} ifOverflow="extendDomain" stroke="#2b8a3e" strokeDasharray="2 3" label={{ value: labels.target, position: 'insideBottomRight', fill: '#2b8a3e' }} />}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

export interface RankBar {
  name: string;
  value: number;
  low: number | null;
  high: number | null;
}

/** Horizontal bars of a ranking, with the confidence interval of each drawn as an error bar. */
export function RankingChart({ metric, bars, colour }: { metric: string; bars: RankBar[]; colour: string }) {
  const show = useFigureFormat();
  const scale = RATE_METRICS.has(metric) ? 100 : 1;
  const data = bars.map((b) => ({
    name: b.name,
    value: b.value * scale,
    // ErrorBar takes [below, above] distances from the value
    error: b.low === null || b.high === null ? [0, 0] : [(b.value - b.low) * scale, (b.high - b.value) * scale],
  }));
  return (
    <div style={{ width: '100%', height: Math.max(120, 36 * data.length + 40) }} data-testid="ranking-chart">
      <ResponsiveContainer>
        <BarChart data={data} layout="vertical" margin={{ top: 8, right: 32, bottom: 8, left: 8 }} accessibilityLayer>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" domain={[0, RATE_METRICS.has(metric) ? 100 : 'auto']} />
          <YAxis type="category" dataKey="name" width={160} />
          <Tooltip formatter={(v) => show(metric, typeof v === 'number' ? v / scale : null)} />
          <Bar dataKey="value" fill={colour} isAnimationActive={false}>
            <ErrorBar dataKey="error" width={6} stroke="#212529" direction="x" />
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
