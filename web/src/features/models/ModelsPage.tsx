import { ComingSoon } from '../../components/ComingSoon';

export function ModelsPage() {
  return (
    <ComingSoon title="Models">
      A model registry page is coming; until then every registered version with its aliases and serving state is at{' '}
      <a href="/api/v1/mlops/model-versions">GET /api/v1/mlops/model-versions</a>.
    </ComingSoon>
  );
}
