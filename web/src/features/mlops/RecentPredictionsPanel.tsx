import { Link } from 'react-router';
import { Panel } from '../../components/Panel';
import { RecentPredictions } from '../../components/RecentPredictions';
import { useRecentPredictions } from './queries';

/** The newest logged predictions, whatever the filters (GET /api/v1/predictions has no range or model filter). */
export function RecentPredictionsPanel() {
  const query = useRecentPredictions();
  return (
    <Panel title="Recent predictions" testId="recent-predictions">
      <RecentPredictions
        query={query}
        empty={
          <>
            No predictions yet — post a photo on <Link to="/analyze">Analyze</Link>.
          </>
        }
      />
    </Panel>
  );
}
