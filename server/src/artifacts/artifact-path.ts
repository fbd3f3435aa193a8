// Artifact paths come from URLs and query strings. Before one touches the filesystem it must be a plain relative POSIX
// path that stays under the artifact root. The rules follow MLflow's validate_path_is_safe (mlflow/utils/uri.py: no
// '..', not absolute, no '#', judged after undoing percent-encoding repeatedly) and add our own: no backslash, no
// control character (NUL truncates paths in C), no name reserved for our temporary files, and the OS's name limits.
import { InvalidParameter } from '../util/errors.js';

/** Names of in-progress uploads and of directories being deleted start with this: never listed, never addressable. */
export const TEMP_PREFIX = '.foodlens-tmp-';

const MAX_SEGMENT_BYTES = 255; // NAME_MAX on Linux, macOS and Windows
const MAX_PATH_BYTES = 3072; // leaves room under PATH_MAX (4096) for the artifact root itself

/** Percent-decoding the way Python's urllib.parse.unquote does it: malformed escapes stay, bad UTF-8 becomes U+FFFD. */
function unquote(s: string): string {
  return s.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => Buffer.from(run.replaceAll('%', ''), 'hex').toString('utf8'));
}

/** Undo percent-encoding until nothing changes, so '%252e%252e' is judged as the '..' it becomes after two decodes. */
function fullyDecoded(raw: string): string {
  let s = raw;
  for (let i = 0; i < 10; i++) {
    const next = unquote(s);
    if (next === s) return s;
    s = next;
  }
  throw new InvalidParameter('Invalid path: too many levels of percent-encoding');
}

function check(p: string): void {
  if (/[\u0000-\u001f\u007f]/.test(p)) throw new InvalidParameter('Invalid path: control character');
  if (p.includes('\\')) throw new InvalidParameter('Invalid path: backslash');
  if (p.includes('#')) throw new InvalidParameter('Invalid path: #');
  if (p.startsWith('/')) throw new InvalidParameter('Invalid path: absolute path');
  // 'C:/x' or 'C:x' is absolute (or drive-relative) on Windows; 'file:/etc' is a URI MLflow would turn into /etc.
  if (/^[A-Za-z]:/.test(p) || /^file:/i.test(p)) throw new InvalidParameter('Invalid path: absolute path or URI');
  for (const seg of p.split('/')) {
    if (seg === '..') throw new InvalidParameter("Invalid path: '..'");
    if (seg.startsWith(TEMP_PREFIX)) throw new InvalidParameter(`Invalid path: names starting with ${TEMP_PREFIX} are reserved`);
  }
}

/**
 * Validates an artifact path and returns it normalized: segments joined by '/', without empty or '.' segments and
 * without leading or trailing slashes. '' is the artifact root, accepted only with allowRoot (listing); every other
 * use needs a file or directory below it. Throws InvalidParameter (400 INVALID_PARAMETER_VALUE).
 */
export function parseArtifactPath(raw: string, opts: { allowRoot?: boolean } = {}): string {
  check(raw);
  // The decoded form never becomes the stored name (a file may really be called 'a%41'), but if decoding reveals an
  // escape, some layer somewhere may decode it once more: refuse it, as MLflow does.
  const decoded = fullyDecoded(raw);
  if (decoded !== raw) check(decoded);
  const segments = raw.split('/').filter((s) => s !== '' && s !== '.');
  for (const seg of segments) {
    if (Buffer.byteLength(seg) > MAX_SEGMENT_BYTES) throw new InvalidParameter(`Invalid path: a name is longer than ${MAX_SEGMENT_BYTES} bytes`);
  }
  const normalized = segments.join('/');
  if (Buffer.byteLength(normalized) > MAX_PATH_BYTES) throw new InvalidParameter(`Invalid path: longer than ${MAX_PATH_BYTES} bytes`);
  if (normalized === '' && !opts.allowRoot) throw new InvalidParameter('Invalid path: empty');
  return normalized;
}

/** Joins two already normalized artifact paths ('' is the root). */
export function joinArtifactPath(a: string, b: string): string {
  return a === '' ? b : b === '' ? a : `${a}/${b}`;
}
