import { Link } from 'react-router';
import { RANGE_LABEL } from './filters';
import { useDashboard } from './dashboard-context';

/** The empty state of every panel fed by predictions: says what to do about it. */
export function NoPredictions() {
  const { filters } = useDashboard();
  const scope = filters.model ? ` for ${filters.model}${filters.version ? ` v${filters.version}` : ''}` : '';
  return (
    <p className="empty">
      No predictions in the {RANGE_LABEL[filters.window]}
      {scope} — post a photo on <Link to="/analyze">Analyze</Link>
      {filters.model || filters.window !== '30d' ? ' or widen the filters' : ''}.
    </p>
  );
}
