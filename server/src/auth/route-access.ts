// Who may call each route: the one table of it. A route is looked up by its method and its registered pattern (Fastify's
// routeOptions.url, e.g. /api/v1/mlops/alerts/rules/:id), first matching rule wins. Reads (GET, HEAD) are reader by one
// rule; every write is listed, so a new write route matches nothing until it is given a role here, and
// auth.integration.test.ts fails for every registered route without one (at run time such a route needs admin).
import type { Role } from './roles.js';

/** open: anyone; predict: anyone unless FOODLENS_PREDICT_REQUIRES_TOKEN, then reader; a role: at least that role. */
export type Access = 'open' | 'predict' | Role;

export interface RouteFacts {
  /** the route serves a file from disk (@fastify/static puts it in the route's config) */
  staticFile?: boolean;
}

interface Rule {
  methods: readonly string[];
  /** a registered pattern, or a prefix of patterns ending in "/*" */
  route: string;
  access: Access;
  /** only routes that serve a file from disk */
  staticFile?: true;
}

const READ = ['GET', 'HEAD'] as const;
/** MLflow's REST API and its mirror for the MLflow UI (/ajax-api) take the same rules. */
const MLFLOW = ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow'] as const;
const ARTIFACTS = ['/api/2.0/mlflow-artifacts/artifacts/*', '/ajax-api/2.0/mlflow-artifacts/artifacts/*'] as const;

const mlflow = (methods: readonly string[], paths: readonly string[], access: Access): Rule[] =>
  MLFLOW.flatMap((prefix) => paths.map((p) => ({ methods, route: `${prefix}/${p}`, access })));
const artifacts = (methods: readonly string[], access: Access): Rule[] => ARTIFACTS.map((route) => ({ methods, route, access }));

export const ROUTE_ACCESS: readonly Rule[] = [
  // --- open: liveness, the API reference, the web app's page, and the question "do I need a token?"
  { methods: READ, route: '/health', access: 'open' },
  { methods: READ, route: '/docs', access: 'open' },
  { methods: READ, route: '/docs/*', access: 'open' },
  { methods: READ, route: '/', access: 'open' },
  { methods: READ, route: '/api/v1/auth/whoami', access: 'open' },
  { methods: ['POST'], route: '/api/v1/predict', access: 'predict' },

  // --- admin: what changes which model serves, the registry, alerting, and deletes
  { methods: ['PUT'], route: '/api/v1/mlops/deployment', access: 'admin' },
  { methods: ['POST'], route: '/api/v1/mlops/deployment/rollback', access: 'admin' },
  { methods: ['POST'], route: '/api/v1/mlops/register-model', access: 'admin' },
  { methods: ['POST'], route: '/api/v1/mlops/alerts/rules', access: 'admin' },
  { methods: ['PUT', 'PATCH', 'DELETE'], route: '/api/v1/mlops/alerts/rules/:id', access: 'admin' },
  { methods: ['POST'], route: '/api/v1/mlops/alerts/rules/:id/test', access: 'admin' },
  { methods: ['POST'], route: '/api/v1/mlops/alerts/evaluate', access: 'admin' },
  { methods: ['PUT', 'DELETE'], route: '/api/v1/mlops/monitoring/drift/reference', access: 'admin' },
  { methods: ['POST'], route: '/api/v1/predictions/backfill', access: 'admin' },
  // the registry's reads that MLflow sends as POST, before the rule that makes its writes admin
  ...mlflow(['POST'], ['registered-models/get-latest-versions'], 'reader'),
  // every registry write (aliases included: moving `champion` moves serving)
  ...mlflow(['POST', 'PUT', 'PATCH', 'DELETE'], ['registered-models/*', 'model-versions/*'], 'admin'),
  ...mlflow(['POST'], ['experiments/delete', 'experiments/restore', 'runs/delete', 'runs/restore'], 'admin'),
  ...artifacts(['DELETE'], 'admin'),

  // --- writer: tracking (experiments, runs, params, metrics, tags, inputs, artifact uploads) and feedback
  { methods: ['POST'], route: '/api/v1/predictions/:id/feedback', access: 'writer' },
  ...mlflow(
    ['POST'],
    [
      'experiments/create',
      'experiments/update',
      'experiments/set-experiment-tag',
      'runs/create',
      'runs/update',
      'runs/set-tag',
      'runs/delete-tag',
      'runs/log-metric',
      'runs/log-parameter',
      'runs/log-batch',
      'runs/log-model',
      'runs/log-inputs',
    ],
    'writer',
  ),
  ...artifacts(['PUT'], 'writer'),

  // --- reader: searches MLflow sends as POST, then every read
  ...mlflow(['POST'], ['experiments/search', 'runs/search'], 'reader'),
  { methods: READ, route: '/api/*', access: 'reader' },
  { methods: READ, route: '/ajax-api/*', access: 'reader' },
  { methods: READ, route: '/metrics', access: 'reader' },
  { methods: READ, route: '/version', access: 'reader' },

  // --- open, last so no API prefix above is opened by it: the web app's built files (index.html, /assets/*, ...)
  { methods: READ, route: '/*', access: 'open', staticFile: true },
];

function matches(rule: Rule, method: string, url: string, facts: RouteFacts): boolean {
  if (!rule.methods.includes(method)) return false;
  if (rule.staticFile && !facts.staticFile) return false;
  return rule.route.endsWith('/*') ? url.startsWith(rule.route.slice(0, -1)) : url === rule.route;
}

/** The access a route needs, by method and registered pattern; undefined when the table has no rule for it. */
export function accessFor(method: string, url: string, facts: RouteFacts = {}): Access | undefined {
  return ROUTE_ACCESS.find((rule) => matches(rule, method.toUpperCase(), url, facts))?.access;
}
