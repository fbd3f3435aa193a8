// What the artifact browser can show inline, by file name. Text types follow what the server itself sends as text/plain
// (MLflow's list); images are the types it sends with an image content type.

const TEXT = new Set(['txt', 'log', 'err', 'csv', 'tsv', 'json', 'yaml', 'yml', 'md', 'rst', 'py', 'xml', 'toml', 'ini', 'cfg', 'conf', 'properties']);
const TEXT_NAMES = new Set(['MLmodel', 'MLproject']);
const IMAGE = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp']);

export type ArtifactKind = 'text' | 'image' | 'other';

export const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

export function artifactKind(path: string): ArtifactKind {
  const name = baseName(path);
  if (TEXT_NAMES.has(name)) return 'text';
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (TEXT.has(ext)) return 'text';
  return IMAGE.has(ext) ? 'image' : 'other';
}
