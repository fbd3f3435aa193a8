import type { MonitoringHealthWindow } from '@foodlens/contracts';
import { Panel } from '../../components/Panel';
import { QueryError } from '../../components/QueryError';
import { bytes, count, dateTime, DASH, ms, percent } from '../../lib/format';
import { useMonitoringHealth } from './queries';

function windowText(w: MonitoringHealthWindow): string {
  return `${count(w.count)} · p50 ${ms(w.latency_ms.p50)} · p95 ${ms(w.latency_ms.p95)} · errors ${percent(w.error_rate)}`;
}

/** This process right now (GET /api/v1/mlops/monitoring/health): not the range filter, always the last minutes. */
export function SystemHealthPanel() {
  const query = useMonitoringHealth();
  const h = query.data;
  return (
    <Panel
      title="System health"
      testId="system-health"
      aside={h && <span className={`badge ${h.status}`} data-testid="health-status">{h.status}</span>}
    >
      {query.isPending && <p>Loading…</p>}
      {query.isError && <QueryError what="System health" error={query.error} />}
      {h && (
        <dl className="facts">
          <dt>Predictions, last 5 min</dt>
          <dd>{windowText(h.predictions.last_5m)}</dd>
          <dt>Requests, last 5 min</dt>
          <dd>{windowText(h.requests.last_5m)}</dd>
          <dt>Event loop delay</dt>
          <dd>
            p50 {ms(h.event_loop.p50_ms)} · p99 {ms(h.event_loop.p99_ms)} · max {ms(h.event_loop.max_ms)}
          </dd>
          <dt>Memory</dt>
          <dd>
            RSS {bytes(h.memory.rss_bytes)} · heap {bytes(h.memory.heap_used_bytes)} of {bytes(h.memory.heap_total_bytes)}
          </dd>
          <dt>Store</dt>
          <dd>
            <span className={h.database.status === 'up' ? undefined : 'error'}>{h.database.status}</span> ·{' '}
            {h.database.dialect} · ping {ms(h.database.latency_ms)}
            {h.database.error && <span className="error"> · {h.database.error}</span>}
          </dd>
          <dt>Prediction log</dt>
          <dd>
            {count(h.prediction_log.queued)} queued · {count(h.prediction_log.written)} written ·{' '}
            <span className={h.prediction_log.dropped > 0 ? 'error' : undefined}>{count(h.prediction_log.dropped)} dropped</span>{' '}
            · {count(h.prediction_log.failed_flushes)} failed flushes · last flush{' '}
            {h.prediction_log.last_flush_at ? dateTime(h.prediction_log.last_flush_at) : DASH}
            {h.prediction_log.last_error && <span className="error"> · {h.prediction_log.last_error}</span>}
          </dd>
          <dt>Models</dt>
          <dd>
            {h.models
              .map((m) => `${m.name} ${m.versions.map((v) => `v${v.version}${v.roles.length ? ` (${v.roles.join(', ')})` : ''}${v.loaded ? '' : ' not loaded'}`).join(', ')}`)
              .join('; ') || DASH}
          </dd>
          <dt>Server</dt>
          <dd>
            FoodLens {h.version} · up since {dateTime(h.started_at)}
          </dd>
        </dl>
      )}
    </Panel>
  );
}
