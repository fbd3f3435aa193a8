// Which limits a route is under, decided once per route from its method and registered pattern. The rate-limit class
// reuses the route table of auth/route-access.ts: predict is its own class; a write is any other method that is not a
// read, except the searches MLflow sends as POST, which the table gives the reader role (they change nothing).
import { accessFor } from '../auth/route-access.js';
import { PROBE_ROUTES } from '../observability/http-metrics.js';

export type RateClass = 'predict' | 'writes';
/** the label of a rejection in foodrec_requests_rejected_total */
export type RouteClass = RateClass | 'reads';

export interface RouteLimits {
  class: RouteClass;
  /** the rate limit it counts against; null: none */
  rate: RateClass | null;
  /** which body deadline applies: the long one for uploads of artifacts and models */
  body: 'standard' | 'upload';
  /** refused while the event loop lags; the probes (/health, /metrics, monitoring health) always answer */
  shed: boolean;
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Routes whose bodies may be large files: MLflow artifact uploads (up to FOODLENS_MAX_ARTIFACT_BYTES) and models. */
const UPLOADS: ReadonlyArray<{ method: string; route: string }> = [
  { method: 'PUT', route: '/api/2.0/mlflow-artifacts/artifacts/*' },
  { method: 'PUT', route: '/ajax-api/2.0/mlflow-artifacts/artifacts/*' },
  { method: 'POST', route: '/api/v1/mlops/register-model' },
];

/** The limits of the route registered as `url` (undefined: no route matched, a 404). */
export function routeLimits(method: string, url: string | undefined): RouteLimits {
  const m = method.toUpperCase();
  if (url === undefined) return { class: 'reads', rate: null, body: 'standard', shed: true };
  const access = READS.has(m) ? null : accessFor(m, url);
  // an unlisted write (access undefined) is a write: closed by the access gate, limited here
  const rate: RateClass | null = access === 'predict' ? 'predict' : access === null || access === 'reader' || access === 'open' ? null : 'writes';
  return {
    class: rate ?? 'reads',
    rate,
    body: UPLOADS.some((u) => u.method === m && u.route === url) ? 'upload' : 'standard',
    shed: !PROBE_ROUTES.has(url),
  };
}
