// What a folder holds outside one subfolder (the artifact root): each path with a digest of its content, so a test can
// prove a request wrote, moved or deleted nothing outside the root. A symbolic link is hashed through (what it points
// at is what a write through it would change); anything else that is not a file or folder is recorded as 'special'.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export function snapshotOutside(dir: string, root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (p === root) continue;
      if (e.isDirectory()) {
        out[`${path.relative(dir, p)}/`] = 'dir';
        walk(p);
      } else {
        out[path.relative(dir, p)] = e.isFile() || e.isSymbolicLink() ? createHash('sha256').update(readFileSync(p)).digest('hex') : 'special';
      }
    }
  };
  walk(dir);
  return out;
}
