import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { Panel } from '../../components/Panel';
import { QueryError } from '../../components/QueryError';
import { cssVar, useTheme } from '../../app/theme';
import { percent } from '../../lib/format';
import { useElementWidth } from '../../lib/useElementWidth';
import { NoPredictions } from './NoPredictions';
import { usePredictionSummary } from './queries';

const ROW = 28;

export function TopFoodsChart() {
  const query = usePredictionSummary();
  useTheme(); // re-render on theme change: the bar colours are read from CSS variables
  const [ref, width] = useElementWidth<HTMLElement>();
  const rows = (query.data?.by_food ?? []).map((f) => ({ food: f.food ?? '(no food)', count: f.count, share: f.share }));
  const summary = rows.map((r) => `${r.food} ${r.count} (${percent(r.share, 0)})`).join(', ');
  return (
    <Panel title="Top foods" testId="top-foods">
      {query.isPending && <p>Loading…</p>}
      {query.isError && <QueryError what="Top foods" error={query.error} />}
      {query.data && rows.length === 0 && <NoPredictions />}
      <figure ref={ref} className="chart">
        {rows.length > 0 && <figcaption className="sr-only">Predictions by food: {summary}</figcaption>}
        {width > 0 && rows.length > 0 && (
          <BarChart width={width} height={rows.length * ROW + 40} data={rows} layout="vertical" margin={{ left: 8, right: 16 }}>
            <CartesianGrid horizontal={false} stroke={cssVar('--border')} />
            <XAxis type="number" allowDecimals={false} stroke={cssVar('--muted')} />
            <YAxis type="category" dataKey="food" width={90} stroke={cssVar('--muted')} interval={0} />
            <Tooltip
              cursor={{ fill: cssVar('--accent-soft') }}
              contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', color: 'var(--text)' }}
              formatter={(v) => [String(v), 'predictions']}
            />
            <Bar dataKey="count" fill={cssVar('--chart-1')} isAnimationActive={false} />
          </BarChart>
        )}
      </figure>
    </Panel>
  );
}
