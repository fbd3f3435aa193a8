import { lazy } from 'react';
import { createBrowserRouter, Navigate } from 'react-router';
import { alertsRoutes } from '../features/alerts/routes';
import { analyzeRoutes } from '../features/analyze/routes';
import { experimentsRoutes } from '../features/experiments/routes';
import { modelsRoutes } from '../features/models/routes';
import { Layout } from './Layout';
import { NotFoundPage } from './NotFoundPage';
import { RouteError } from './RouteError';

// Each page is its own chunk, so the first load carries only the shell and the page asked for.
const MlopsPage = lazy(() => import('../features/mlops/MlopsPage').then((m) => ({ default: m.MlopsPage })));

export const router = createBrowserRouter([
  {
    element: <Layout />,
    errorElement: <RouteError />,
    children: [
      { index: true, element: <Navigate to="/analyze" replace /> },
      { path: 'mlops', element: <MlopsPage /> },
      // each feature lists its own routes (lazy pages), so features grow without touching this file
      ...analyzeRoutes,
      ...experimentsRoutes,
      ...modelsRoutes,
      ...alertsRoutes,
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
