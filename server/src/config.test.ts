import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

describe('loadConfig access tokens', () => {
  const ADMIN = 'admin-0123456789abcdef0123';
  const READER = 'reader-0123456789abcdef0123';

  it('has none by default (authentication off) and predict open', () => {
    expect(loadConfig({}, '/x').auth).toEqual({ tokens: [], predictRequiresToken: false });
  });

  it('reads FOODLENS_TOKENS and FOODLENS_TOKENS_FILE (relative to the working directory) together', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'foodlens-config-tokens-'));
    try {
      writeFileSync(path.join(dir, 'tokens'), `# role token name\nreader ${READER} dashboard\n`);
      const c = loadConfig({ FOODLENS_TOKENS: `admin:${ADMIN}:alice`, FOODLENS_TOKENS_FILE: 'tokens', FOODLENS_PREDICT_REQUIRES_TOKEN: '1' }, dir);
      expect(c.auth).toEqual({
        tokens: [
          { role: 'admin', token: ADMIN, name: 'alice' },
          { role: 'reader', token: READER, name: 'dashboard' },
        ],
        predictRequiresToken: true,
      });
      // the same token in both places is ambiguous
      expect(() => loadConfig({ FOODLENS_TOKENS: `admin:${READER}`, FOODLENS_TOKENS_FILE: 'tokens' }, dir)).toThrow(/configured twice/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses bad tokens, a missing file and a bad predict setting with a ConfigError that shows no token', () => {
    const attempt = (env: Record<string, string>) => {
      try {
        loadConfig(env, '/x');
      } catch (e) {
        return e;
      }
      return null;
    };
    const short = attempt({ FOODLENS_TOKENS: `admin:${ADMIN},writer:tooshort` });
    expect(short).toBeInstanceOf(ConfigError);
    expect((short as Error).message).toMatch(/^invalid configuration: FOODLENS_TOKENS entry 2: the token has 8 characters/);
    expect((short as Error).message).not.toContain('tooshort');
    expect((short as Error).message).not.toContain(ADMIN);
    expect(attempt({ FOODLENS_TOKENS_FILE: 'does-not-exist' })).toMatchObject({ message: expect.stringMatching(/FOODLENS_TOKENS_FILE: cannot read \/x\/does-not-exist \(ENOENT\)/) });
    expect(attempt({ FOODLENS_PREDICT_REQUIRES_TOKEN: 'maybe' })).toBeInstanceOf(ConfigError);
    expect(loadConfig({ FOODLENS_PREDICT_REQUIRES_TOKEN: 'true' }, '/x').auth.predictRequiresToken).toBe(true);
    expect(loadConfig({ FOODLENS_PREDICT_REQUIRES_TOKEN: '0' }, '/x').auth.predictRequiresToken).toBe(false);
  });
});

describe('loadConfig limits', () => {
  it('has defaults that one user, a training loop and the demo stay under, deadlines, shedding at 1 s and no CORS', () => {
    expect(loadConfig({}, '/x').limits).toEqual({
      ratePerMinute: { predict: 600, writes: 6000 },
      bodyTimeoutMs: { standard: 30_000, upload: 900_000 },
      maxEventLoopDelayMs: 1000,
      corsOrigins: [],
    });
  });

  it('reads each setting, 0 turning it off', () => {
    const c = loadConfig(
      {
        FOODLENS_RATE_LIMIT_PREDICT: '0',
        FOODLENS_RATE_LIMIT_WRITES: '120',
        FOODLENS_BODY_TIMEOUT_S: '2.5',
        FOODLENS_UPLOAD_TIMEOUT_S: '0',
        FOODLENS_MAX_EVENT_LOOP_DELAY_MS: '0',
      },
      '/x',
    );
    expect(c.limits).toMatchObject({
      ratePerMinute: { predict: 0, writes: 120 },
      bodyTimeoutMs: { standard: 2500, upload: 0 },
      maxEventLoopDelayMs: 0,
    });
    expect(() => loadConfig({ FOODLENS_RATE_LIMIT_PREDICT: '-1' }, '/x')).toThrow(/FOODLENS_RATE_LIMIT_PREDICT/);
    expect(() => loadConfig({ FOODLENS_RATE_LIMIT_WRITES: 'lots' }, '/x')).toThrow(/FOODLENS_RATE_LIMIT_WRITES/);
    expect(() => loadConfig({ FOODLENS_BODY_TIMEOUT_S: '-5' }, '/x')).toThrow(/FOODLENS_BODY_TIMEOUT_S/);
  });

  it('reads FOODLENS_CORS_ORIGINS as exact origins, normalised as browsers send them, and refuses anything else', () => {
    expect(loadConfig({ FOODLENS_CORS_ORIGINS: ' https://app.example.com , http://localhost:5173/,HTTPS://Other.Example:8443' }, '/x').limits.corsOrigins).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
      'https://other.example:8443',
    ]);
    for (const bad of ['*', 'https://*.example.com', 'https://app.example.com/path', 'app.example.com', 'ftp://files.example.com', 'https://u:p@app.example.com', 'https://a.example?x=1']) {
      expect(() => loadConfig({ FOODLENS_CORS_ORIGINS: bad }, '/x'), bad).toThrow(/FOODLENS_CORS_ORIGINS/);
    }
  });
});
