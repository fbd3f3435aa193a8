// SIGTERM during a stream of predictions: every prediction that was answered is in the store afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../server/src/db/connection.js';
import { LABELLED_PHOTOS } from '../server/test/photos.js';
import { postPhoto } from './page-checks.js';
import { startServer } from './server-process.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'foodlens-sigterm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('graceful shutdown', () => {
  it('loses none of the answered predictions when SIGTERM arrives mid-stream', async () => {
    // A long flush interval, so that at SIGTERM most answered predictions are still only in the in-memory queue.
    const server = await startServer({ FOODLENS_INFERENCE_WORKERS: '1', FOODLENS_LOG_FLUSH_MS: '60000' }, dir);
    const answered: string[] = [];
    let refused = 0;
    let stop = false;
    const client = async (c: number) => {
      for (let i = c; !stop; i++) {
        try {
          const res = await postPhoto(server.url, LABELLED_PHOTOS[i % LABELLED_PHOTOS.length]!.code, { userId: `client-${c}` });
          if (res.status === 200) answered.push(((await res.json()) as { prediction_id: string }).prediction_id);
          else refused++;
        } catch {
          refused++; // the listener has closed: expected once shutdown starts
          if (server.child.exitCode !== null) return;
          await new Promise((r) => setTimeout(r, 10));
        }
      }
    };
    const clients = [0, 1, 2].map(client);
    await expect.poll(() => answered.length, { timeout: 30_000, interval: 20 }).toBeGreaterThanOrEqual(15);
    const code = await server.stop('SIGTERM');
    stop = true;
    await Promise.all(clients);
    expect(code).toBe(0);
    expect(server.output()).not.toMatch(/"level":50/);

    const database = await openDatabase(`sqlite:///${path.join(dir, 'mlruns', 'foodlens.db')}`);
    try {
      const rows = await database.db.selectFrom('predictions').select(['id', 'status']).execute();
      const stored = new Set(rows.map((r) => r.id));
      const missing = answered.filter((id) => !stored.has(id));
      expect(missing).toEqual([]);
      expect(rows.filter((r) => r.status === 'ok').length).toBe(answered.length);
    } finally {
      await database.close();
    }
  });
});
