import { Bar, BarChart, CartesianGrid, Tooltip, XAxis, YAxis } from 'recharts';
import { Panel } from '../../components/Panel';
import { QueryError } from '../../components/QueryError';
import { cssVar, useTheme } from '../../app/theme';
import { count, percent } from '../../lib/format';
import { useElementWidth } from '../../lib/useElementWidth';
import { NoPredictions } from './NoPredictions';
import { useConfidence } from './queries';

const COMPACT = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

export function ConfidenceHistogram() {
  const query = useConfidence();
  useTheme();
  const [ref, width] = useElementWidth<HTMLElement>();
  const d = query.data;
  const bins = (d?.histogram ?? []).map((b) => ({ bin: `${b.from.toFixed(1)}–${b.to.toFixed(1)}`, count: b.count }));
  const median = d?.quantiles.find((q) => q.q === 0.5)?.value ?? null;
  return (
    <Panel title="Confidence" testId="confidence-histogram">
      {query.isPending && <p>Loading…</p>}
      {query.isError && <QueryError what="The confidence histogram" error={query.error} />}
      {d && d.count === 0 && <NoPredictions />}
      {d && d.count > 0 && (
        <p className="muted">
          {count(d.count)} predictions with a food · median {percent(median)} · {percent(d.below_threshold.share)} below{' '}
          {percent(d.below_threshold.threshold, 0)}
        </p>
      )}
      <figure ref={ref} className="chart">
        {d && d.count > 0 && (
          <figcaption className="sr-only">
            Confidence histogram: {bins.map((b) => `${b.bin}: ${b.count}`).join(', ')}
          </figcaption>
        )}
        {width > 0 && d && d.count > 0 && (
          <BarChart width={width} height={200} data={bins} margin={{ left: 0, right: 8 }}>
            <CartesianGrid vertical={false} stroke={cssVar('--border')} />
            <XAxis dataKey="bin" stroke={cssVar('--muted')} fontSize={11} interval="preserveStartEnd" />
            {/* compact ticks (1.5K, 20K) so a busy store's counts fit the axis */}
            <YAxis allowDecimals={false} width={40} stroke={cssVar('--muted')} tickFormatter={(v: number) => COMPACT.format(v)} />
            <Tooltip
              cursor={{ fill: cssVar('--accent-soft') }}
              contentStyle={{ background: 'var(--surface)', border: '1px solid var(--border)', color: 'var(--text)' }}
              formatter={(v) => [String(v), 'predictions']}
            />
            <Bar dataKey="count" fill={cssVar('--chart-2')} isAnimationActive={false} />
          </BarChart>
        )}
      </figure>
    </Panel>
  );
}
