#!/usr/bin/env node
// FoodLens command line: `serve` (default) starts the server; `migrate` brings the store's schema up to date;
// `evaluate` logs an evaluation run of a model version on a folder of labelled images.
import { buildApp } from './app.js';
import { decideBind } from './auth/bind-policy.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/connection.js';
import { migrateToLatest } from './db/migrate.js';
import { DatasetError } from './evaluation/dataset.js';
import { EVALUATE_USAGE, evaluateCommand, UsageError } from './evaluation/evaluate-command.js';
import { TrackingServerError } from './evaluation/tracking-server-client.js';

const USAGE = `usage: foodlens [serve | migrate | evaluate]

  serve     start FoodLens on HOST:PORT (default 127.0.0.1:8000)
  migrate   apply the database migrations for MLFLOW_TRACKING_URI and exit
  evaluate  --model <name>/<version> --data <folder>: evaluate a model version on labelled images, log a run

Configuration comes from the environment; see the README's configuration table.`;

async function serve(): Promise<void> {
  const config = loadConfig();
  // before the store or the models are opened: an open server on a reachable address never starts
  const bind = decideBind(config.host, config.auth);
  if (!bind.allowed) {
    console.error(bind.message);
    process.exit(2);
  }
  const app = await buildApp(config);
  if (config.auth.tokens.length > 0) app.log.info(bind.message);
  else app.log.warn(bind.message);
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
async function evaluate(): Promise<void> {
  const argv = process.argv.slice(3);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(EVALUATE_USAGE);
    return;
  }
  try {
    await evaluateCommand(argv);
  } catch (err) {
    if (err instanceof DatasetError || err instanceof TrackingServerError) {
      console.error(err.message);
      process.exit(1);
    }
    if (!(err instanceof UsageError)) throw err;
    console.error(`${err.message}\n\n${EVALUATE_USAGE}`);
    process.exit(2);
  }
}

const commands: Record<string, () => Promise<void>> = { serve, migrate, evaluate };
const run = commands[command];
if (!run) {
  console.error(command === '--help' || command === 'help' ? USAGE : `unknown command '${command}'\n\n${USAGE}`);
  process.exit(command === '--help' || command === 'help' ? 0 : 2);
}
run().catch((err: unknown) => {
  console.error(err instanceof ConfigError ? err.message : err);
  process.exit(1);
});
