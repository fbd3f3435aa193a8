import type { UseQueryResult } from '@tanstack/react-query';
import type { PredictionList } from '@foodlens/contracts';
import type { ReactNode } from 'react';
import { QueryError } from './QueryError';
import { ScrollBox } from './ScrollBox';

/** The prediction log's newest rows (GET /api/v1/predictions), on Analyze and on the MLOps dashboard. */
export function RecentPredictions(props: { query: UseQueryResult<PredictionList>; empty?: ReactNode }) {
  const { query } = props;
  if (query.isPending) return <p>Loading…</p>;
  if (query.isError) return <QueryError what="Recent predictions" error={query.error} />;
  const rows = query.data.predictions;
  if (rows.length === 0) return <p>{props.empty ?? 'No predictions yet: analyze a photo.'}</p>;
  return (
    <ScrollBox label="Recent predictions">
      <table>
        <thead>
          <tr>
            <th>When</th>
            <th>Food</th>
            <th>Confidence</th>
            <th>Model</th>
            <th>Latency</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => (
            <tr key={p.prediction_id}>
              <td>{new Date(p.created_at).toLocaleTimeString()}</td>
              <td>{p.status === 'error' ? <span className="error">error: {p.error_class}</span> : (p.food_name ?? '—')}</td>
              <td>{p.confidence === null ? '—' : `${(p.confidence * 100).toFixed(1)}%`}</td>
              <td>{p.model ? `v${p.model.version}` : '—'}</td>
              <td>{p.latency_ms.toFixed(0)} ms</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollBox>
  );
}
