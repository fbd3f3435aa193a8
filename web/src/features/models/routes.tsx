import { lazy } from 'react';
import type { RouteObject } from 'react-router';

const ModelsPage = lazy(() => import('./ModelsPage').then((m) => ({ default: m.ModelsPage })));

export const modelsRoutes: RouteObject[] = [{ path: 'models', element: <ModelsPage /> }];
