import { lazy } from 'react';
import type { RouteObject } from 'react-router';

const AlertsPage = lazy(() => import('./AlertsPage').then((m) => ({ default: m.AlertsPage })));

export const alertsRoutes: RouteObject[] = [{ path: 'alerts', element: <AlertsPage /> }];
