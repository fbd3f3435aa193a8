// A model package laid out in a staging directory: which runtime it is for (sniffed from the bytes, not the names),
// its entry file, and that every file it references is there.
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { ModelRuntime } from '../inference/types.js';
import { ModelPackageError, ModelValidationError } from './model-errors.js';
import { safeEntryName } from './zip-extract.js';

export interface ModelPackage {
  runtime: ModelRuntime;
  /** the ONNX file or model.json, relative to the package directory */
  entry: string;
  /** every file of the package, relative, sorted */
  files: string[];
  sizeBytes: number;
  /** sha256 over the files in sorted order, each as its relative name, NUL, its bytes */
  sha256: string;
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

export async function isZipFile(file: string): Promise<boolean> {
  const fh = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await fh.read(head, 0, 4, 0);
    return bytesRead === 4 && head.equals(ZIP_MAGIC);
  } finally {
    await fh.close();
  }
}

/** Files below dir, relative with '/' separators; symlinks are refused (uploads and archives never create them). */
async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    const rel = path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/');
    if (e.isSymbolicLink()) throw new ModelPackageError(`${rel} is a symbolic link`, 'unsafe_archive');
    if (e.isFile()) out.push(rel);
  }
  return out.sort();
}

/** An ONNX file is a protobuf ModelProto: it starts with field 1 (ir_version, varint), tag byte 0x08. */
async function looksLikeOnnx(file: string): Promise<boolean> {
  const fh = await fs.open(file, 'r');
  try {
    const head = Buffer.alloc(1);
    await fh.read(head, 0, 1, 0);
    return head[0] === 0x08;
  } finally {
    await fh.close();
  }
}

export async function inspectPackage(dir: string): Promise<ModelPackage> {
  const files = await listFiles(dir);
  if (files.length === 0) throw new ModelPackageError('no model file was uploaded', 'missing_file');
  const modelJsons = files.filter((f) => path.posix.basename(f) === 'model.json');
  let runtime: ModelRuntime;
  let entry: string;
  if (modelJsons.length > 0) {
    if (modelJsons.length > 1) throw new ModelPackageError(`the package holds ${modelJsons.length} model.json files; one is expected`);
    runtime = 'tfjs-graph';
    entry = modelJsons[0]!;
    await checkShards(dir, entry, files);
  } else {
    if (files.length > 1) {
      throw new ModelPackageError(`an ONNX model is one file, or a TF.js model is model.json with its shards; got ${files.length} files without a model.json`);
    }
    entry = files[0]!;
    if (!(await looksLikeOnnx(path.join(dir, entry)))) {
      throw new ModelValidationError(`${entry} is neither an ONNX model (protobuf ModelProto) nor a TF.js model.json`, 'bad_format');
    }
    runtime = 'onnx';
  }
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for (const f of files) {
    const bytes = await fs.readFile(path.join(dir, f));
    hash.update(f).update('\0').update(bytes);
    sizeBytes += bytes.length;
  }
  return { runtime, entry, files, sizeBytes, sha256: hash.digest('hex') };
}

/** model.json must be a graph model whose weightsManifest names shards that exist beside it. */
async function checkShards(dir: string, entry: string, files: string[]): Promise<void> {
  let json: { modelTopology?: unknown; weightsManifest?: Array<{ paths?: unknown }>; format?: unknown };
  try {
    json = JSON.parse(await fs.readFile(path.join(dir, entry), 'utf8'));
  } catch (err) {
    throw new ModelValidationError(`${entry} is not valid JSON: ${(err as Error).message}`, 'bad_format');
  }
  if (!json || typeof json !== 'object' || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new ModelValidationError(`${entry} is not a TF.js graph model (modelTopology or weightsManifest is missing)`, 'bad_format');
  }
  if (json.format !== undefined && json.format !== 'graph-model') {
    throw new ModelValidationError(`${entry} is a TF.js ${String(json.format)}; only graph models (format "graph-model") are served`, 'bad_format');
  }
  const base = path.posix.dirname(entry);
  for (const group of json.weightsManifest) {
    if (!Array.isArray(group.paths)) throw new ModelValidationError(`${entry}: a weightsManifest group has no paths`, 'bad_format');
    for (const p of group.paths) {
      if (typeof p !== 'string') throw new ModelValidationError(`${entry}: a shard path is not a string`, 'bad_format');
      const rel = safeEntryName(base === '.' ? p : `${base}/${p}`);
      if (!files.includes(rel)) throw new ModelValidationError(`weight shard ${p} named by ${entry} is missing`, 'shard_missing');
    }
  }
}
