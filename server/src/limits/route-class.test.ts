import { describe, expect, it } from 'vitest';
import { routeLimits } from './route-class.js';

describe('routeLimits', () => {
  it('puts predict in its own rate class', () => {
    expect(routeLimits('POST', '/api/v1/predict')).toEqual({ class: 'predict', rate: 'predict', body: 'standard', shed: true });
  });

  it('counts every write against the writes limit: tracking, registry, feedback, deployments, alerts, deletes', () => {
    for (const [method, url] of [
      ['POST', '/api/2.0/mlflow/runs/log-batch'],
      ['POST', '/ajax-api/2.0/mlflow/runs/log-metric'],
      ['POST', '/api/2.0/mlflow/experiments/create'],
      ['POST', '/api/2.0/mlflow/registered-models/create'],
      ['PATCH', '/api/2.0/mlflow/registered-models/update'],
      ['DELETE', '/api/2.0/mlflow/model-versions/delete'],
      ['POST', '/api/v1/predictions/:id/feedback'],
      ['POST', '/api/v1/predictions/backfill'],
      ['PUT', '/api/v1/mlops/deployment'],
      ['DELETE', '/api/v1/mlops/alerts/rules/:id'],
      ['DELETE', '/api/2.0/mlflow-artifacts/artifacts/*'],
      // a write nobody gave a role: closed by the access gate, and still limited
      ['POST', '/api/v1/some/new-write'],
    ]) {
      expect(routeLimits(method!, url!), `${method} ${url}`).toMatchObject({ class: 'writes', rate: 'writes' });
    }
  });

  it('does not limit reads, nor the searches MLflow sends as POST (the route table makes them reads)', () => {
    for (const [method, url] of [
      ['GET', '/api/v1/predictions'],
      ['HEAD', '/api/v1/predictions'],
      ['GET', '/api/2.0/mlflow/runs/get'],
      ['POST', '/api/2.0/mlflow/runs/search'],
      ['POST', '/api/2.0/mlflow/experiments/search'],
      ['POST', '/ajax-api/2.0/mlflow/registered-models/get-latest-versions'],
      ['OPTIONS', '*'],
      ['GET', '/'],
    ]) {
      expect(routeLimits(method!, url!), `${method} ${url}`).toMatchObject({ class: 'reads', rate: null });
    }
    expect(routeLimits('GET', undefined)).toMatchObject({ class: 'reads', rate: null, shed: true });
  });

  it('gives artifact and model uploads the long body deadline, and nothing else', () => {
    expect(routeLimits('PUT', '/api/2.0/mlflow-artifacts/artifacts/*').body).toBe('upload');
    expect(routeLimits('PUT', '/ajax-api/2.0/mlflow-artifacts/artifacts/*').body).toBe('upload');
    expect(routeLimits('POST', '/api/v1/mlops/register-model').body).toBe('upload');
    expect(routeLimits('POST', '/api/v1/predict').body).toBe('standard');
    expect(routeLimits('POST', '/api/2.0/mlflow/runs/log-model').body).toBe('standard');
    expect(routeLimits('GET', '/api/2.0/mlflow-artifacts/artifacts/*').body).toBe('standard');
  });

  it('never sheds the probes: /health, /metrics and the monitoring health endpoint', () => {
    expect(routeLimits('GET', '/health').shed).toBe(false);
    expect(routeLimits('GET', '/metrics').shed).toBe(false);
    expect(routeLimits('GET', '/api/v1/mlops/monitoring/health').shed).toBe(false);
    expect(routeLimits('GET', '/api/v1/mlops/monitoring/predictions').shed).toBe(true);
    expect(routeLimits('POST', '/api/v1/predict').shed).toBe(true);
  });
});
