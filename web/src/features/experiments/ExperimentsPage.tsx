import { ComingSoon } from '../../components/ComingSoon';

export function ExperimentsPage() {
  return (
    <ComingSoon title="Experiments">
      An experiments browser is coming; until then the tracked experiments and runs are served by{' '}
      <a href="/api/v1/mlops/experiments">GET /api/v1/mlops/experiments</a> and the MLflow-compatible API.
    </ComingSoon>
  );
}
