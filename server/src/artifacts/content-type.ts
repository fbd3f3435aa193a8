// Download headers the way MLflow's _response_with_file_attachment_headers (mlflow/server/handlers.py) sets them:
// text/plain for its list of text extensions (and the extension-less MLmodel/MLproject), a guessed type for a few
// common binary formats, application/octet-stream otherwise; always as an attachment.

/** MLflow's TEXT_EXTENSIONS (2.12), so model files come back as text/plain exactly as the reference server sends them. */
const TEXT_EXTENSIONS = new Set([
  'txt', 'log', 'err', 'cfg', 'conf', 'cnf', 'cf', 'ini', 'properties', 'prop', 'hocon', 'toml', 'yaml', 'yml', 'xml',
  'json', 'js', 'py', 'py3', 'csv', 'tsv', 'md', 'rst', 'MLmodel', 'MLproject',
]);

// Deliberately no text/html or image/svg+xml: those run script if a browser ever renders them from our origin.
const BINARY_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  pdf: 'application/pdf',
  zip: 'application/zip',
  gz: 'application/gzip',
  tar: 'application/x-tar',
  parquet: 'application/vnd.apache.parquet',
};

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

export function guessContentType(artifactPath: string): string {
  const name = basename(artifactPath);
  const dot = name.lastIndexOf('.');
  // Like Python's os.path.splitext: a leading dot ('.env') is not an extension; no extension means the name itself.
  const ext = dot > 0 ? name.slice(dot + 1) : name;
  if (TEXT_EXTENSIONS.has(ext) || TEXT_EXTENSIONS.has(ext.toLowerCase())) return 'text/plain';
  return BINARY_TYPES[ext.toLowerCase()] ?? 'application/octet-stream';
}

/** RFC 6266: an ASCII fallback name plus the exact UTF-8 name, because raw non-ASCII is not allowed in a header. */
export function contentDisposition(artifactPath: string): string {
  const name = basename(artifactPath);
  const ascii = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
