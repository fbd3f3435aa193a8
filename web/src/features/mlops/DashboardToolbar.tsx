import { useIsFetching, useQueryClient } from '@tanstack/react-query';
import { clock } from '../../lib/format';
import { useLastUpdated } from '../../lib/useLastUpdated';
import { type DashboardFilters, RANGES } from './filters';
import { MLOPS_KEY } from './queries';
import { VersionFilter } from './VersionFilter';

export function DashboardToolbar(props: {
  filters: DashboardFilters;
  onFilters: (f: DashboardFilters) => void;
  autoRefresh: boolean;
  onAutoRefresh: (on: boolean) => void;
}) {
  const { filters, onFilters } = props;
  const queryClient = useQueryClient();
  const fetching = useIsFetching({ queryKey: [MLOPS_KEY] }) > 0;
  const updated = useLastUpdated(MLOPS_KEY);
  return (
    <div className="toolbar">
      <fieldset className="segmented">
        <legend>Time range</legend>
        {RANGES.map((r) => (
          <label key={r}>
            <input
              type="radio"
              name="range"
              value={r}
              checked={filters.window === r}
              onChange={() => onFilters({ ...filters, window: r })}
            />
            <span>{r}</span>
          </label>
        ))}
      </fieldset>
      <VersionFilter
        model={filters.model}
        version={filters.version}
        onChange={(model, version) => onFilters({ ...filters, model, version })}
      />
      <label className="check">
        <input type="checkbox" checked={props.autoRefresh} onChange={(e) => props.onAutoRefresh(e.target.checked)} />
        Auto-refresh every 30 s
      </label>
      <button
        type="button"
        aria-busy={fetching}
        onClick={() => void queryClient.refetchQueries({ queryKey: [MLOPS_KEY], type: 'active' })}
      >
        Refresh
      </button>
      <span className="updated" data-testid="updated">
        {updated ? `updated ${clock(updated)}` : 'not updated yet'}
        {fetching && ' · refreshing…'}
      </span>
    </div>
  );
}
