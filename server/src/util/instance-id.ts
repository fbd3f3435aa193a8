import { randomBytes } from 'node:crypto';
import os from 'node:os';

/** Names one running app in the shared store (lease holder, per-instance rows): host, pid and a random suffix, since
 * tests build several apps in one process. */
export function newInstanceId(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}
