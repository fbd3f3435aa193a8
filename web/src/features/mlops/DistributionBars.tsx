import type { DriftDistribution } from '@foodlens/contracts';

const W = 150;
const H = 36;

/** Reference and current shares per bin as paired bars: a quick look at how a feature moved. */
export function DistributionBars(props: { feature: string; distribution: DriftDistribution }) {
  const { labels, reference, current } = props.distribution;
  const share = (xs: number[]) => {
    const total = xs.reduce((a, b) => a + b, 0);
    return xs.map((x) => (total > 0 ? x / total : 0));
  };
  const ref = share(reference);
  const cur = share(current);
  const max = Math.max(...ref, ...cur, 1e-9);
  const slot = W / Math.max(labels.length, 1);
  const bar = Math.max(1, slot / 2 - 1);
  const pct = (v: number) => `${(v * 100).toFixed(0)}%`;
  return (
    <svg className="dist" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${props.feature}: reference vs current share per bin`}>
      {labels.map((label, i) => {
        const r = ref[i] ?? 0;
        const c = cur[i] ?? 0;
        return (
          <g key={i}>
            <title>{`${label}: reference ${pct(r)}, current ${pct(c)}`}</title>
            <rect className="ref" x={i * slot} y={H - (r / max) * H} width={bar} height={(r / max) * H} />
            <rect className="cur" x={i * slot + bar} y={H - (c / max) * H} width={bar} height={(c / max) * H} />
          </g>
        );
      })}
    </svg>
  );
}
