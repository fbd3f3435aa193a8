import { createContext, useContext } from 'react';
import type { DashboardFilters } from './filters';

export interface Dashboard {
  filters: DashboardFilters;
  /** ms between automatic refreshes, false when auto-refresh is off */
  refetchInterval: number | false;
}

export const DashboardContext = createContext<Dashboard | null>(null);

export function useDashboard(): Dashboard {
  const d = useContext(DashboardContext);
  if (!d) throw new Error('useDashboard needs a DashboardContext provider (MlopsPage)');
  return d;
}
