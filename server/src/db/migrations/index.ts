// In-code migration provider: no directory scanning, so it works the same from src (tsx, vitest) and dist.
// Kysely runs migrations in name order: keep the zero-padded prefix and never rename or edit a released one.
import type { Migration, MigrationProvider } from 'kysely';
import { initial } from './0001-initial.js';
import { tracking } from './0002-tracking.js';
import { registry } from './0003-registry.js';
import { rollups } from './0004-rollups.js';
import { drift } from './0005-drift.js';
import { feedbackContext } from './0006-feedback-context.js';
import { alerts } from './0007-alerts.js';
import { shadowRunsIndex } from './0008-shadow-runs-index.js';

export const migrations: Record<string, Migration> = {
  '0001_initial': initial,
  '0002_tracking': tracking,
  '0003_registry': registry,
  '0004_rollups': rollups,
  '0005_drift': drift,
  '0006_feedback_context': feedbackContext,
  '0007_alerts': alerts,
  '0008_shadow_runs_index': shadowRunsIndex,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
