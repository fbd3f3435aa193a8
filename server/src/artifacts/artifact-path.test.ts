import { describe, expect, it } from 'vitest';
import { InvalidParameter } from '../util/errors.js';
import { joinArtifactPath, parseArtifactPath, TEMP_PREFIX } from './artifact-path.js';
import { resolveArtifactUri } from './artifact-store.js';
import { contentDisposition, guessContentType } from './content-type.js';

describe('parseArtifactPath', () => {
  it.each([
    ['1/042ad24faacf4e02a5f6e6e601e57d9c/artifacts/notes/hello.txt', '1/042ad24faacf4e02a5f6e6e601e57d9c/artifacts/notes/hello.txt'],
    ['a//b/', 'a/b'],
    ['./a/./b', 'a/b'],
    ['model/MLmodel', 'model/MLmodel'],
    ['café/наука.txt', 'café/наука.txt'],
    ['...', '...'],
    ['a..b/..c/d..', 'a..b/..c/d..'],
    ['with space/x y.txt', 'with space/x y.txt'],
    // a lone or malformed % is a literal character, as in Python's unquote
    ['100%.txt', '100%.txt'],
    ['a%zz', 'a%zz'],
    // a literal escape that decodes to something harmless is kept as the name (not decoded for storage)
    ['a%41', 'a%41'],
  ])('%j is accepted as %j', (raw, expected) => {
    expect(parseArtifactPath(raw)).toBe(expected);
  });

  it('accepts the root only when asked to', () => {
    expect(parseArtifactPath('', { allowRoot: true })).toBe('');
    expect(parseArtifactPath('./', { allowRoot: true })).toBe('');
    expect(() => parseArtifactPath('')).toThrow(InvalidParameter);
    expect(() => parseArtifactPath('.//.')).toThrow(InvalidParameter);
  });

  it.each([
    ['..'],
    ['../x'],
    ['a/../../x'],
    ['a/..'],
    ['/etc/passwd'],
    ['//server/share'],
    ['a\\..\\..\\x'],
    ['..\\x'],
    ['a\u0000b'],
    ['x.txt\u0000.png'],
    ['a\nb'],
    ['a\u007fb'],
    ['C:/Windows/win.ini'],
    ['c:x'],
    ['file:///etc/passwd'],
    ['FILE:/etc/passwd'],
    ['a#b'],
    // percent-encoded escapes, once and twice: judged after decoding, as MLflow's validate_path_is_safe does
    ['%2e%2e/x'],
    ['%2E%2E%2Fx'],
    ['..%2fx'],
    ['a/%2e%2e/%2e%2e/x'],
    ['%252e%252e%252fx'],
    ['%25252e%25252e/x'],
    ['%2fetc%2fpasswd'],
    ['..%5cx'],
    ['a%00b'],
    ['a%2500b'],
    ['%23'],
    ['C%3a%5cx'],
    [`${TEMP_PREFIX}0123456789abcdef`],
    [`a/${TEMP_PREFIX}x/b`],
    ['x'.repeat(256)],
    [Array.from({ length: 40 }, () => 'y'.repeat(100)).join('/')],
  ])('%j is refused', (raw) => {
    expect(() => parseArtifactPath(raw, { allowRoot: true })).toThrow(InvalidParameter);
    expect(() => parseArtifactPath(raw, { allowRoot: true })).toThrow(/^Invalid path/);
  });

  it('refuses encodings nested deeper than MLflow decodes', () => {
    let s = '..';
    for (let i = 0; i < 12; i++) s = encodeURIComponent(s).replaceAll('.', '%2E');
    expect(() => parseArtifactPath(s)).toThrow(InvalidParameter);
  });

  it('joins normalized paths', () => {
    expect(joinArtifactPath('', 'a')).toBe('a');
    expect(joinArtifactPath('a', '')).toBe('a');
    expect(joinArtifactPath('a/b', 'c')).toBe('a/b/c');
  });
});

describe('resolveArtifactUri', () => {
  it.each([
    ['mlflow-artifacts:/1/042ad24faacf4e02a5f6e6e601e57d9c/artifacts', '1/042ad24faacf4e02a5f6e6e601e57d9c/artifacts'],
    ['mlflow-artifacts:/1/abc/artifacts/model', '1/abc/artifacts/model'],
    ['mlflow-artifacts:///0/abc/artifacts', '0/abc/artifacts'],
    ['mlflow-artifacts://127.0.0.1:8000/2/abc/artifacts/', '2/abc/artifacts'],
    ['mlflow-artifacts:/0', '0'],
    ['mlflow-artifacts:/', ''],
  ])('%s -> %j', (uri, expected) => {
    expect(resolveArtifactUri(uri)).toBe(expected);
  });

  it.each([
    ['s3://bucket/1/abc/artifacts'],
    ['file:///tmp/mlruns/1/abc/artifacts'],
    ['/tmp/mlruns/1/abc/artifacts'],
    ['runs:/abc/model'],
    ['mlflow-artifacts:/1/../../etc'],
    ['mlflow-artifacts:/1/%2e%2e/%2e%2e/etc'],
  ])('%s is refused', (uri) => {
    expect(() => resolveArtifactUri(uri)).toThrow(InvalidParameter);
  });
});

describe('download headers', () => {
  it.each([
    ['notes/hello.txt', 'text/plain'],
    ['model/MLmodel', 'text/plain'],
    ['model/conda.yaml', 'text/plain'],
    ['cfg.json', 'text/plain'],
    ['LOG.TXT', 'text/plain'],
    ['model/python_model.pkl', 'application/octet-stream'],
    ['plot.png', 'image/png'],
    ['photo.JPG', 'image/jpeg'],
    ['page.html', 'application/octet-stream'],
    ['logo.svg', 'application/octet-stream'],
    ['.env', 'application/octet-stream'],
    ['noext', 'application/octet-stream'],
  ])('%s is served as %s', (p, type) => {
    expect(guessContentType(p)).toBe(type);
  });

  it('names the file in Content-Disposition, ASCII-safe', () => {
    expect(contentDisposition('a/b/hello.txt')).toBe(`attachment; filename="hello.txt"; filename*=UTF-8''hello.txt`);
    expect(contentDisposition('наука "x".txt')).toBe(
      `attachment; filename="_____ _x_.txt"; filename*=UTF-8''%D0%BD%D0%B0%D1%83%D0%BA%D0%B0%20%22x%22.txt`,
    );
  });
});
