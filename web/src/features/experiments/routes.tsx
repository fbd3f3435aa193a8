import { lazy } from 'react';
import type { RouteObject } from 'react-router';

const ExperimentsPage = lazy(() => import('./ExperimentsPage').then((m) => ({ default: m.ExperimentsPage })));

export const experimentsRoutes: RouteObject[] = [{ path: 'experiments', element: <ExperimentsPage /> }];
