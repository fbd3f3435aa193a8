import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
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
