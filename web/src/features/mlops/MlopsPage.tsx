import { useState } from 'react';
import { AccuracyPanel } from './AccuracyPanel';
import { ConfidenceHistogram } from './ConfidenceHistogram';
import { DashboardContext } from './dashboard-context';
import { DashboardToolbar } from './DashboardToolbar';
import { DriftPanel } from './DriftPanel';
import { useDashboardFilters } from './filters';
import { FiringAlertsPanel } from './FiringAlertsPanel';
import { MetricCards } from './MetricCards';
import { LatencyChart, VolumeChart } from './PerformanceCharts';
import { RecentPredictionsPanel } from './RecentPredictionsPanel';
import { SystemHealthPanel } from './SystemHealthPanel';
import { TopFoodsChart } from './TopFoodsChart';
import { VersionComparisonTable } from './VersionComparisonTable';

const REFRESH_MS = 30_000;

export function MlopsPage() {
  const [filters, setFilters] = useDashboardFilters();
  const [autoRefresh, setAutoRefresh] = useState(true);
  return (
    <DashboardContext.Provider value={{ filters, refetchInterval: autoRefresh ? REFRESH_MS : false }}>
      <div className="dashboard">
        <div className="dashboard-head">
          <h1>MLOps dashboard</h1>
          <DashboardToolbar filters={filters} onFilters={setFilters} autoRefresh={autoRefresh} onAutoRefresh={setAutoRefresh} />
        </div>
        <MetricCards />
        <div className="grid-2">
          <TopFoodsChart />
          <ConfidenceHistogram />
          <VolumeChart />
          <LatencyChart />
          <AccuracyPanel />
          <SystemHealthPanel />
        </div>
        <FiringAlertsPanel />
        <DriftPanel />
        <VersionComparisonTable />
        <RecentPredictionsPanel />
      </div>
    </DashboardContext.Provider>
  );
}
