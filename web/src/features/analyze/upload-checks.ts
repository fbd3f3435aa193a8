// What the page checks before uploading: only what is certain to be refused. The server stays the judge of the rest
// (it sniffs the bytes and ignores the declared type, so a mislabelled photo still gets its chance there).

/** The server's default upload limit (FOODLENS_MAX_UPLOAD_BYTES, 10 MiB). The API does not publish its configured
 * value, so a server set higher still gets files up to 10 MiB only from this page. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** The formats the server decodes (README: "not a JPEG, PNG or WebP ... 415 bad_format"). */
export const ACCEPTED_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const [value, unit] = n < 1024 * 1024 ? [n / 1024, 'KiB'] : [n / (1024 * 1024), 'MiB'];
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${unit}`;
}

/** Why `file` would certainly be refused, or null to let the server decide. */
export function uploadProblem(file: Pick<File, 'name' | 'size' | 'type'>, maxBytes = MAX_UPLOAD_BYTES): string | null {
  if (file.size > maxBytes) {
    return `“${file.name}” (${formatBytes(file.size)}) is over the server's ${formatBytes(maxBytes)} upload limit (its default). Choose a smaller photo or resize it.`;
  }
  // An empty type means the browser could not tell (no or unknown extension): the server sniffs the bytes.
  if (file.type !== '' && !(ACCEPTED_TYPES as readonly string[]).includes(file.type)) {
    const what = file.type.startsWith('image/') ? `a ${file.type.slice('image/'.length).toUpperCase()} image` : `not a photo (${file.type})`;
    return `“${file.name}” is ${what}: JPEG, PNG or WebP only.`;
  }
  return null;
}
