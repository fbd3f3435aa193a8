// The dashboard's filters live in the URL (?range=7d&model=food-detector&version=2), so a reload or a shared link
// shows the same view.
import type { TimeWindow } from '@foodlens/contracts';
import { useSearchParams } from 'react-router';
import type { MonitoringFilter } from '../../lib/api';

export const RANGES = ['24h', '7d', '30d'] as const satisfies readonly TimeWindow[];
export type Range = (typeof RANGES)[number];
export const RANGE_LABEL: Record<Range, string> = { '24h': 'last 24 hours', '7d': 'last 7 days', '30d': 'last 30 days' };

export interface DashboardFilters extends MonitoringFilter {
  window: Range;
}

export function useDashboardFilters(): [DashboardFilters, (next: DashboardFilters) => void] {
  const [params, setParams] = useSearchParams();
  const range = params.get('range');
  const model = params.get('model') || undefined;
  const filters: DashboardFilters = {
    window: RANGES.includes(range as Range) ? (range as Range) : '24h',
    model,
    // a version means nothing without its model
    version: model ? params.get('version') || undefined : undefined,
  };
  const update = (next: DashboardFilters) => {
    const p = new URLSearchParams();
    if (next.window !== '24h') p.set('range', next.window);
    if (next.model) p.set('model', next.model);
    if (next.model && next.version) p.set('version', next.version);
    setParams(p, { replace: true });
  };
  return [filters, update];
}
