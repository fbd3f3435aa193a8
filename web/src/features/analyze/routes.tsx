import { lazy } from 'react';
import type { RouteObject } from 'react-router';

const AnalyzePage = lazy(() => import('./AnalyzePage').then((m) => ({ default: m.AnalyzePage })));

/** The Analyze page, lazy like every page. */
export const analyzeRoutes: RouteObject[] = [{ path: 'analyze', element: <AnalyzePage /> }];
