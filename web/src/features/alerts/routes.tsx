import { lazy } from 'react';
import type { RouteObject } from 'react-router';

const AlertsPage = lazy(() => import('./AlertsPage').then((m) => ({ default: m.AlertsPage })));
const RuleFormPage = lazy(() => import('./RuleFormPage').then((m) => ({ default: m.RuleFormPage })));

export const alertsRoutes: RouteObject[] = [
  { path: 'alerts', element: <AlertsPage /> },
  { path: 'alerts/rules/new', element: <RuleFormPage /> },
  { path: 'alerts/rules/:id', element: <RuleFormPage /> },
];
