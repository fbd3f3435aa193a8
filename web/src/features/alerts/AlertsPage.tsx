import { Link } from 'react-router';
import { ComingSoon } from '../../components/ComingSoon';

export function AlertsPage() {
  return (
    <ComingSoon title="Alerts">
      Managing alert rules here is coming; until then the rules are at{' '}
      <a href="/api/v1/mlops/alerts/rules">GET /api/v1/mlops/alerts/rules</a>, their alerts at{' '}
      <a href="/api/v1/mlops/alerts">GET /api/v1/mlops/alerts</a>, and firing ones show on the{' '}
      <Link to="/mlops">MLOps dashboard</Link>.
    </ComingSoon>
  );
}
