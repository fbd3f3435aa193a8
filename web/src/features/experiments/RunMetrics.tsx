import type { MlopsMetricPoint } from '@foodlens/contracts';
import { Panel } from '../../components/Panel';
import { ScrollBox } from '../../components/ScrollBox';
import { ShowAll } from '../../components/ShowMore';
import { dateTime } from '../../lib/format';
import { metricValue } from './format';
import { MetricHistoryChart } from './MetricHistoryChart';

/** Charts drawn at first: each one reads a whole history, so a run with hundreds of metrics asks before loading them all. */
const CHARTS_AT_FIRST = 12;

/** The run's metrics: latest values in a table, then one history chart per metric. */
export function RunMetrics(props: { runId: string; runName: string; metrics: Record<string, MlopsMetricPoint> }) {
  const keys = Object.keys(props.metrics).sort((a, b) => a.localeCompare(b));
  return (
    <Panel title="Metrics" testId="run-metrics" aside={<span className="muted small">{keys.length} logged</span>}>
      {keys.length === 0 ? (
        <p className="empty">
          This run has no metrics. Log one with <code>mlflow.log_metric(&quot;accuracy&quot;, 0.91)</code> while the run is active.
        </p>
      ) : (
        <>
          <ScrollBox label="Latest metric values">
            <table>
              <thead>
                <tr>
                  <th scope="col">Metric</th>
                  <th scope="col" className="num">
                    Latest value
                  </th>
                  <th scope="col" className="num">
                    Step
                  </th>
                  <th scope="col">Logged</th>
                </tr>
              </thead>
              <tbody>
                {keys.map((k) => {
                  const m = props.metrics[k]!;
                  return (
                    <tr key={k}>
                      <th scope="row">{k}</th>
                      <td className="num" title={String(m.value ?? 'NaN')}>
                        {metricValue(m.value)}
                      </td>
                      <td className="num">{m.step}</td>
                      <td>{dateTime(m.timestamp)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </ScrollBox>
          <ShowAll
            items={keys}
            initial={CHARTS_AT_FIRST}
            what="metric charts"
            className="chart-grid"
            render={(k) => <MetricHistoryChart key={k} runId={props.runId} runName={props.runName} metricKey={k} />}
          />
        </>
      )}
    </Panel>
  );
}
