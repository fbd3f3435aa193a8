import { lazy } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { Layout } from './Layout';
import { NotFoundPage } from './NotFoundPage';
import { RouteError } from './RouteError';

// Each page is its own chunk, so the first load carries only the shell and the page asked for.
const AnalyzePage = lazy(() => import('../features/analyze/AnalyzePage').then((m) => ({ default: m.AnalyzePage })));
const MlopsPage = lazy(() => import('../features/mlops/MlopsPage').then((m) => ({ default: m.MlopsPage })));
const ExperimentsPage = lazy(() =>
  import('../features/experiments/ExperimentsPage').then((m) => ({ default: m.ExperimentsPage })),
);
const ModelsPage = lazy(() => import('../features/models/ModelsPage').then((m) => ({ default: m.ModelsPage })));
const AlertsPage = lazy(() => import('../features/alerts/AlertsPage').then((m) => ({ default: m.AlertsPage })));

export const router = createBrowserRouter([
  {
    element: <Layout />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <Navigate to="/analyze" replace /> },
      { path: 'analyze', element: <AnalyzePage /> },
      { path: 'mlops', element: <MlopsPage /> },
      { path: 'experiments', element: <ExperimentsPage /> },
      { path: 'models', element: <ModelsPage /> },
      { path: 'alerts', element: <AlertsPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
