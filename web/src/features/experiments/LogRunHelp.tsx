/**
 * The empty state wherever there are no runs yet: the two ways to log one, with this server's address (the MLflow
 * client talks to the same origin that serves this page). With an experiment, the client command logs into it.
 */
export function LogRunHelp(props: { lead: string; experimentId?: string }) {
  const env = `MLFLOW_TRACKING_URI=${window.location.origin}${props.experimentId ? ` MLFLOW_EXPERIMENT_ID=${props.experimentId}` : ''}`;
  return (
    <div className="empty" data-testid="log-run-help">
      <p>{props.lead} Log a run with the MLflow client:</p>
      <pre>
        <code>{`${env} python -c 'import mlflow; mlflow.log_metric("accuracy", 0.91)'`}</code>
      </pre>
      <p>
        or evaluate a model version on a folder of labelled images (one subfolder per food); the run goes to the experiment{' '}
        <code>food-detector-evaluation</code>:
      </p>
      <pre>
        <code>npm run evaluate -- --model food-detector/1 --data &lt;folder&gt;</code>
      </pre>
    </div>
  );
}
