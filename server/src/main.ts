#!/usr/bin/env node
// FoodLens command line: `serve` (default) starts the server; `migrate` brings the store's schema up to date.
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/connection.js';
import { migrateToLatest } from './db/migrate.js';

const USAGE = `usage: foodlens [serve | migrate]

  serve     start FoodLens on HOST:PORT (default 127.0.0.1:8000)
  migrate   apply the database migrations for MLFLOW_TRACKING_URI and exit

Configuration comes from the environment; see the README's configuration table.`;

async function serve(): Promise<void> {
  const config = loadConfig();
  const app = await buildApp(config);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: finishing requests and flushing the prediction log');
    const timer = setTimeout(() => {
      app.log.error('shutdown took over 30 s; exiting');
      process.exit(1);
    }, 30_000);
    timer.unref();
    try {
      await app.close();
      process.exit(0);
    } catch (err) {
      app.log.error({ err }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  await app.listen({ host: config.host, port: config.port });
}

async function migrate(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase(config.trackingUri);
  try {
    await migrateToLatest(database);
    console.log(`migrated ${database.dialect} store at ${config.trackingUri.replace(/\/\/[^@/]*@/, '//***@')}`);
  } finally {
    await database.close();
  }
}

const command = process.argv[2] ?? 'serve';
const commands: Record<string, () => Promise<void>> = { serve, migrate };
const run = commands[command];
if (!run) {
  console.error(command === '--help' || command === 'help' ? USAGE : `unknown command '${command}'\n\n${USAGE}`);
  process.exit(command === '--help' || command === 'help' ? 0 : 2);
}
run().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
