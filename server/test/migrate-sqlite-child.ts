// Child process for the multi-process SQLite migration test: migrates the file given as argv[2], prints the result.
import { openDatabase } from '../src/db/connection.js';
import { migrateToLatest } from '../src/db/migrate.js';

const database = await openDatabase(`sqlite:///${process.argv[2]}`);
try {
  process.stdout.write(`${JSON.stringify({ applied: await migrateToLatest(database) })}\n`);
} catch (err) {
  process.stdout.write(`${JSON.stringify({ error: String(err) })}\n`);
  process.exitCode = 1;
} finally {
  await database.close();
}
