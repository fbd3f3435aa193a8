import type { ModelVersionEntry, VersionComparison } from '@foodlens/contracts';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { ScrollBox } from '../../components/ScrollBox';
import { count, DASH, ms, percent } from '../../lib/format';

const WINDOW_LABEL: Record<string, string> = { '24h': 'last 24 hours', '7d': 'last 7 days', '30d': 'last 30 days' };
const TOP_FOODS = 3;

/** Versions as columns, measures as rows: reads across on a phone as well as a desktop. */
export function ComparisonTable(props: { data: VersionComparison; entries: readonly ModelVersionEntry[]; window: string; stale: boolean }) {
  const { data } = props;
  const role = (v: string) => props.entries.find((e) => e.version === v)?.serving.roles.join(', ') || 'not serving';
  const rows: Array<[string, (s: VersionComparison['versions'][number]) => ReactNode]> = [
    ['Serving now', (s) => role(s.version)],
    ['Requests', (s) => `${count(s.requests)}${s.shadow > 0 ? ` (${count(s.shadow)} shadow)` : ''}`],
    ['Errors', (s) => (s.requests === 0 ? DASH : `${count(s.errors)} · ${percent(s.error_rate)}`)],
    ['Mean confidence', (s) => percent(s.mean_confidence)],
    ['Latency p50', (s) => ms(s.latency_ms.p50)],
    ['Latency p95', (s) => ms(s.latency_ms.p95)],
    [
      'Top foods',
      (s) =>
        s.foods.length === 0
          ? DASH
          : s.foods
              .slice(0, TOP_FOODS)
              .map((f) => `${f.food ?? 'nothing'} ${percent(f.share, 0)}`)
              .join(', '),
    ],
    [
      'Accuracy (feedback)',
      (s) => (s.realised_accuracy ? `${percent(s.realised_accuracy.accuracy)} of ${count(s.realised_accuracy.labelled)}` : DASH),
    ],
  ];
  const idle = data.versions.every((v) => v.requests === 0);
  return (
    <>
      {idle && (
        <p className="empty">
          None of these versions answered a request in the {WINDOW_LABEL[props.window] ?? props.window}: post a photo on{' '}
          <Link to="/analyze">Analyze</Link> (the champion answers it), give a version a challenger share or a shadow above, or
          pick a longer window.
        </p>
      )}
      <ScrollBox label="Version comparison" busy={props.stale}>
        <table className="compare-table" data-testid="comparison-table">
          <caption className="sr-only">
            {data.model} versions {data.versions.map((v) => v.version).join(', ')} over the {WINDOW_LABEL[props.window] ?? props.window}
          </caption>
          <thead>
            <tr>
              <th scope="col">Measure</th>
              {data.versions.map((v) => (
                <th scope="col" key={v.version}>
                  v{v.version}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, cell]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {data.versions.map((v) => (
                  <td key={v.version} className={label === 'Top foods' ? 'foods' : undefined}>
                    {cell(v)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
      {data.shadow_agreement.length > 0 && (
        <ul className="muted small">
          {data.shadow_agreement.map((s) => (
            <li key={`${s.primary_version}-${s.shadow_version}`}>
              Shadow v{s.shadow_version} agreed with v{s.primary_version} on {percent(s.rate)} of {count(s.pairs)} predictions
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
