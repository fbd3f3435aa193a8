import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { parseStoreUri } from './db/uri.js';

describe('loadConfig store defaults', () => {
  it('is the relative MLflow URI under ./mlruns for the process directory', () => {
    const c = loadConfig({}, process.cwd());
    expect(c.trackingUri).toBe('sqlite:///mlruns/foodlens.db');
    expect(c.artifactLocation).toBe(path.join(process.cwd(), 'mlruns', 'artifacts'));
  });

  it('stays inside another directory it is given, wherever the process runs', () => {
    const dir = path.join(os.tmpdir(), 'foodlens-config-test');
    const c = loadConfig({}, dir);
    expect(c.trackingUri).toBe(`sqlite:///${path.join(dir, 'mlruns', 'foodlens.db')}`);
    expect(parseStoreUri(c.trackingUri)).toEqual({ dialect: 'sqlite', filename: path.join(dir, 'mlruns', 'foodlens.db') });
    expect(c.artifactLocation).toBe(path.join(dir, 'mlruns', 'artifacts'));
  });

  it('takes MLFLOW_TRACKING_URI as given', () => {
    expect(loadConfig({ MLFLOW_TRACKING_URI: 'postgresql://u@h:5432/d' }, '/x').trackingUri).toBe('postgresql://u@h:5432/d');
  });
});

describe('loadConfig alerting', () => {
  it('evaluates every minute by default, links to the listening address, and has no default webhooks', () => {
    const c = loadConfig({}, '/x');
    expect(c.alertIntervalMs).toBe(60_000);
    expect(c.publicUrl).toBe('http://127.0.0.1:8000');
    expect(c.alertWebhooks).toEqual([]);
    expect(loadConfig({ HOST: '::1', PORT: '9000' }, '/x').publicUrl).toBe('http://[::1]:9000');
    expect(loadConfig({ FOODLENS_PUBLIC_URL: 'https://foodlens.example.com' }, '/x').publicUrl).toBe('https://foodlens.example.com');
  });

  it('reads FOODLENS_ALERT_WEBHOOKS as comma-separated URLs, slack: for Slack format, and refuses anything else', () => {
    const c = loadConfig({ FOODLENS_ALERT_WEBHOOKS: ' https://a.example/hook , slack:https://hooks.slack.com/services/T/B/X,' }, '/x');
    expect(c.alertWebhooks).toEqual([
      { type: 'webhook', url: 'https://a.example/hook', format: 'json', headers: {} },
      { type: 'webhook', url: 'https://hooks.slack.com/services/T/B/X', format: 'slack', headers: {} },
    ]);
    expect(() => loadConfig({ FOODLENS_ALERT_WEBHOOKS: 'ftp://x/y' }, '/x')).toThrow(ConfigError);
    expect(() => loadConfig({ FOODLENS_ALERT_INTERVAL_S: '0.5' }, '/x')).toThrow(/FOODLENS_ALERT_INTERVAL_S/);
    expect(loadConfig({ FOODLENS_ALERT_INTERVAL_S: '0' }, '/x').alertIntervalMs).toBe(0);
  });
});
