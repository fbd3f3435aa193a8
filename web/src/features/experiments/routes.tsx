import { lazy } from 'react';
import type { RouteObject } from 'react-router';

// One chunk per page: the list needs no chart code; the run and compare pages share uPlot.
const ExperimentsPage = lazy(() => import('./ExperimentsPage').then((m) => ({ default: m.ExperimentsPage })));
const ExperimentRunsPage = lazy(() => import('./ExperimentRunsPage').then((m) => ({ default: m.ExperimentRunsPage })));
const RunPage = lazy(() => import('./RunPage').then((m) => ({ default: m.RunPage })));
const ComparePage = lazy(() => import('./ComparePage').then((m) => ({ default: m.ComparePage })));

export const experimentsRoutes: RouteObject[] = [
  { path: 'experiments', element: <ExperimentsPage /> },
  { path: 'experiments/compare', element: <ComparePage /> },
  { path: 'experiments/runs/:runId', element: <RunPage /> },
  { path: 'experiments/:experimentId', element: <ExperimentRunsPage /> },
];
