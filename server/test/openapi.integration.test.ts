// The OpenAPI description is generated from the routes' own zod schemas, so it lists every endpoint with its
// parameters and answers, and Swagger UI serves it at /docs from the npm package (no CDN).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './app-harness.js';

describe('OpenAPI at /docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ FOODLENS_ALERT_INTERVAL_S: '0' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('describes every API route, with parameters and answer schemas from the zod contracts', async () => {
    const res = await t.app.inject({ url: '/docs/json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; info: { title: string }; paths: Record<string, Record<string, any>> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBe('FoodLens API');
    // each group of endpoints is there ...
    const described = Object.keys(doc.paths);
    for (const path of [
      '/api/v1/predict',
      '/api/v1/predictions',
      '/api/v1/predictions/{id}/feedback',
      '/api/v1/mlops/experiments',
      '/api/v1/mlops/runs',
      '/api/v1/mlops/compare',
      '/api/v1/mlops/model-versions',
      '/api/v1/mlops/register-model',
      '/api/v1/mlops/deployment',
      '/api/v1/mlops/monitoring/performance',
      '/api/v1/mlops/monitoring/drift',
      '/api/v1/mlops/monitoring/drift/references',
      '/api/v1/mlops/monitoring/health',
      '/api/v1/mlops/alerts',
      '/api/v1/mlops/alerts/rules/{id}',
      '/api/v1/mlops/alerts/deliveries',
      '/api/2.0/mlflow/runs/log-batch',
      '/api/2.0/mlflow/registered-models/search',
      '/health',
    ]) {
      expect(described, path).toContain(path);
    }
    // ... and every described operation is a route the app answers
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops)) {
        expect(t.app.hasRoute({ method: method.toUpperCase() as 'GET', url: path.replace('{*}', '*').replace(/\{([^}]+)\}/g, ':$1') }), `${method} ${path}`).toBe(true);
      }
    }
    expect(described.length).toBeGreaterThan(100);

    const predictions = doc.paths['/api/v1/mlops/monitoring/predictions']!.get;
    expect(predictions.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['window', 'from', 'to', 'model', 'variant']));
    const createRule = doc.paths['/api/v1/mlops/alerts/rules']!.post;
    expect(Object.keys(createRule.requestBody.content['application/json'].schema.properties)).toEqual(expect.arrayContaining(['signal', 'comparator', 'threshold', 'targets']));
    expect(createRule.responses['201']).toBeDefined();
    expect(doc.paths['/api/2.0/mlflow/runs/create']).toBeDefined();
  });

  it('serves Swagger UI at /docs without a CDN', async () => {
    const res = await t.app.inject({ url: '/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/html/);
    expect(res.body).not.toMatch(/https?:\/\/(cdn|unpkg|cdnjs)/);
  });
});
