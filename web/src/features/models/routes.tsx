import { lazy } from 'react';
import type { RouteObject } from 'react-router';

// Two lazy pages; what they share (API calls, tables, styles) goes into a common chunk of this feature.
const ModelsPage = lazy(() => import('./ModelsPage').then((m) => ({ default: m.ModelsPage })));
const ModelPage = lazy(() => import('./ModelPage').then((m) => ({ default: m.ModelPage })));

export const modelsRoutes: RouteObject[] = [
  // /models?register[&name=] opens the register form; /models?q= searches
  { path: 'models', element: <ModelsPage /> },
  { path: 'models/:name', element: <ModelPage /> },
];
