// The role table, rule by rule for each class of route. That every registered route has a rule is checked on the
// real app in auth.integration.test.ts.
import { describe, expect, it } from 'vitest';
import { accessFor } from './route-access.js';

describe('route access table', () => {
  it('leaves liveness, the API reference, the web app, whoami and (by setting) predict open', () => {
    expect(accessFor('GET', '/health')).toBe('open');
    expect(accessFor('HEAD', '/health')).toBe('open');
    expect(accessFor('GET', '/docs')).toBe('open');
    expect(accessFor('GET', '/docs/json')).toBe('open');
    expect(accessFor('GET', '/docs/static/*')).toBe('open');
    expect(accessFor('GET', '/')).toBe('open');
    expect(accessFor('GET', '/api/v1/auth/whoami')).toBe('open');
    expect(accessFor('POST', '/api/v1/predict')).toBe('predict');
  });

  it('opens files of the web app only when the route serves a file', () => {
    expect(accessFor('GET', '/assets/index-3f2a.js', { staticFile: true })).toBe('open');
    expect(accessFor('HEAD', '/favicon.svg', { staticFile: true })).toBe('open');
    expect(accessFor('GET', '/assets/index-3f2a.js')).toBeUndefined();
    expect(accessFor('POST', '/assets/index-3f2a.js', { staticFile: true })).toBeUndefined();
    // a file route under the API keeps the API's rule
    expect(accessFor('GET', '/api/v1/mlops/runs', { staticFile: true })).toBe('reader');
  });

  it('makes every read reader: dashboards, MLflow reads, artifacts, /metrics', () => {
    for (const url of [
      '/api/v1/predictions',
      '/api/v1/mlops/monitoring/drift',
      '/api/v1/mlops/deployment',
      '/api/v1/mlops/alerts/rules/:id',
      '/api/2.0/mlflow/runs/get',
      '/ajax-api/2.0/mlflow/registered-models/search',
      '/api/2.0/mlflow/model-versions/get-download-uri',
      '/api/2.0/mlflow-artifacts/artifacts/*',
      '/metrics',
      '/version',
    ]) {
      expect(accessFor('GET', url), url).toBe('reader');
      expect(accessFor('HEAD', url), url).toBe('reader');
    }
    // searches MLflow clients send as POST are reads
    expect(accessFor('POST', '/api/2.0/mlflow/runs/search')).toBe('reader');
    expect(accessFor('POST', '/ajax-api/2.0/mlflow/experiments/search')).toBe('reader');
    expect(accessFor('POST', '/api/2.0/mlflow/registered-models/get-latest-versions')).toBe('reader');
  });

  it('makes tracking writes and feedback writer', () => {
    expect(accessFor('POST', '/api/v1/predictions/:id/feedback')).toBe('writer');
    for (const p of ['experiments/create', 'runs/create', 'runs/log-batch', 'runs/log-metric', 'runs/log-parameter', 'runs/set-tag', 'runs/log-inputs']) {
      expect(accessFor('POST', `/api/2.0/mlflow/${p}`), p).toBe('writer');
      expect(accessFor('POST', `/ajax-api/2.0/mlflow/${p}`), p).toBe('writer');
    }
    expect(accessFor('PUT', '/api/2.0/mlflow-artifacts/artifacts/*')).toBe('writer');
  });

  it('makes registry, deployment, alert rules, drift references, backfill, registration and deletes admin', () => {
    const admin: Array<[string, string]> = [
      ['PUT', '/api/v1/mlops/deployment'],
      ['POST', '/api/v1/mlops/deployment/rollback'],
      ['POST', '/api/v1/mlops/register-model'],
      ['POST', '/api/v1/mlops/alerts/rules'],
      ['PATCH', '/api/v1/mlops/alerts/rules/:id'],
      ['DELETE', '/api/v1/mlops/alerts/rules/:id'],
      ['POST', '/api/v1/mlops/alerts/rules/:id/test'],
      ['POST', '/api/v1/mlops/alerts/evaluate'],
      ['PUT', '/api/v1/mlops/monitoring/drift/reference'],
      ['DELETE', '/api/v1/mlops/monitoring/drift/reference'],
      ['POST', '/api/v1/predictions/backfill'],
      ['POST', '/api/2.0/mlflow/registered-models/create'],
      ['POST', '/api/2.0/mlflow/registered-models/alias'],
      ['DELETE', '/ajax-api/2.0/mlflow/registered-models/alias'],
      ['PATCH', '/api/2.0/mlflow/model-versions/update'],
      ['POST', '/api/2.0/mlflow/model-versions/transition-stage'],
      ['DELETE', '/api/2.0/mlflow/model-versions/delete'],
      ['POST', '/api/2.0/mlflow/runs/delete'],
      ['POST', '/api/2.0/mlflow/experiments/delete'],
      ['DELETE', '/api/2.0/mlflow-artifacts/artifacts/*'],
    ];
    for (const [method, url] of admin) expect(accessFor(method, url), `${method} ${url}`).toBe('admin');
  });

  it('has no rule for a write nobody listed', () => {
    expect(accessFor('POST', '/api/v1/mlops/something-new')).toBeUndefined();
    expect(accessFor('POST', '/api/2.0/mlflow/runs/outputs')).toBeUndefined();
    expect(accessFor('DELETE', '/api/v1/predictions')).toBeUndefined();
    expect(accessFor('GET', '/somewhere-else')).toBeUndefined();
  });
});
