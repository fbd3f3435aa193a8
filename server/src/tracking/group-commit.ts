// Group commit for run writes. Every runs/log-batch (and log-metric, log-parameter, set-tag, built on it) is a small
// transaction, and on SQLite the commit (writing the touched pages to the WAL) costs more than the rows themselves;
// on PostgreSQL it is a WAL flush. Requests that arrive together are therefore written in one transaction, each
// inside its own savepoint, so one request's error (a changed param, a deleted run) rolls back that request only and
// is reported to it alone. Nothing waits on a timer: a batch is whatever queued up while the previous one was written
// (or within the same event-loop turn), so a lone request is written at once.
//
// SQLite has one connection, so one transaction at a time. PostgreSQL runs a few at once (each statement is a network
// round trip, so one transaction at a time would leave the pool idle); each transaction handles its jobs in run-id
// order, so concurrent transactions take row locks in the same order and cannot deadlock each other.
import type { Kysely } from 'kysely';
import type { Database } from '../db/connection.js';
import { savepointCommand } from '../db/dialect.js';
import type { Tables } from '../db/tables.js';

export type Work = (trx: Kysely<Tables>) => Promise<void>;

interface Job {
  /** the run written to: the order jobs are applied in */
  runId: string;
  work: Work;
  resolve(): void;
  reject(err: unknown): void;
}

/** More jobs wait for the next transaction: keeps one transaction's write lock and memory bounded. */
const MAX_JOBS_PER_TRANSACTION = 64;

/** Transactions in flight at once: PostgreSQL's pool defaults to 10 connections; leave some for everything else. */
const POSTGRES_CONCURRENCY = 4;

export class GroupCommit {
  private readonly queue: Job[] = [];
  private flushing = 0;
  private scheduled = false;
  private readonly concurrency: number;

  constructor(private readonly database: Database) {
    this.concurrency = database.dialect === 'sqlite' ? 1 : POSTGRES_CONCURRENCY;
  }

  /** Runs `work` on run `runId` in a transaction shared with other writes; resolves once it has committed. */
  run(runId: string, work: Work): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ runId, work, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.flushing >= this.concurrency || this.scheduled) return;
    this.scheduled = true;
    // After the current I/O phase, so requests parsed in the same turn join this transaction.
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing >= this.concurrency || this.queue.length === 0) return;
    this.flushing++;
    const jobs = this.queue.splice(0, MAX_JOBS_PER_TRANSACTION).sort((a, b) => (a.runId < b.runId ? -1 : a.runId > b.runId ? 1 : 0));
    const failed = new Map<Job, unknown>();
    try {
      await this.database.db.transaction().execute(async (trx) => {
        // Alone, a job needs no savepoint: its error rolls back the transaction, which holds nothing else.
        if (jobs.length === 1) return jobs[0]!.work(trx);
        for (const job of jobs) {
          await savepointCommand(this.database, trx, 'savepoint', 'tracking_write');
          try {
            await job.work(trx);
          } catch (err) {
            failed.set(job, err);
            await savepointCommand(this.database, trx, 'rollback to', 'tracking_write');
          }
          await savepointCommand(this.database, trx, 'release', 'tracking_write');
        }
      });
      for (const job of jobs) {
        if (failed.has(job)) job.reject(failed.get(job));
        else job.resolve();
      }
    } catch (err) {
      // The transaction itself failed (commit, connection): nothing of this batch was written.
      for (const job of jobs) job.reject(failed.get(job) ?? err);
    } finally {
      this.flushing--;
      if (this.queue.length > 0) this.schedule();
    }
  }
}
