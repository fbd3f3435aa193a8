// POST /api/v1/mlops/register-model: registers a servable model version, from an upload (multipart) or from the
// artifact store (JSON). The route only reads the request into a staging directory; models/ does the rest.
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody, RegisterModelFromArtifacts, RegisteredModelVersion, ServableModelName, ServingSpec } from '@foodlens/contracts';
import type { Database } from '../db/connection.js';
import { ModelPackageError } from '../models/model-errors.js';
import { isZipFile } from '../models/model-package.js';
import { copyFromArtifacts, resolveModelSource } from '../models/model-source.js';
import { registerModel, withStaging } from '../models/register-model.js';
import { extractZip, safeEntryName } from '../models/zip-extract.js';
import type { TrackingService } from '../tracking/types.js';
import { AppError, InvalidParameter } from '../util/errors.js';
import { clientReason } from './error-handler.js';

export interface RegisterModelRouteOptions {
  database: Database;
  tracking: TrackingService;
  artifactRoot: string;
  /** largest model upload (each file, and a zip's expanded total) */
  maxModelBytes: number;
  /** files in one upload or entries in one zip */
  maxFiles?: number;
  validationTimeoutMs?: number;
}

interface Fields {
  name?: string;
  description?: string;
  spec?: string;
}

export async function registerModelRoutes(app: FastifyInstance, opts: RegisterModelRouteOptions): Promise<void> {
  const maxFiles = opts.maxFiles ?? 256;
  const deps = { database: opts.database, artifactRoot: opts.artifactRoot, validationTimeoutMs: opts.validationTimeoutMs ?? 60_000 };
  await app.register(multipart, {
    limits: { fileSize: opts.maxModelBytes, files: maxFiles, fields: 8, fieldSize: 4 * 1024 * 1024, fieldNameSize: 100, parts: maxFiles + 8, headerPairs: 100 },
  });
  app.setErrorHandler(async (err) => {
    if (clientReason(err) === 'too_large') throw tooLarge(opts.maxModelBytes);
    throw err;
  });

  app.withTypeProvider<ZodTypeProvider>().post('/api/v1/mlops/register-model', {
    schema: {
      summary: 'Register a servable model version (ONNX or TF.js graph model) after validating it',
      response: { 201: RegisteredModelVersion, '4xx': ErrorBody, '5xx': ErrorBody },
    },
    handler: async (request, reply) => {
      const result = await withStaging(opts.artifactRoot, async (staging) => {
        const packageDir = path.join(staging, 'package');
        if (request.isMultipart()) {
          const fields = await readUpload(request, staging, packageDir, opts.maxModelBytes, maxFiles);
          const name = parseField('name', ServableModelName, fields.name);
          if (fields.spec === undefined) throw new InvalidParameter("missing field 'spec': the serving spec as JSON");
          let specJson: unknown;
          try {
            specJson = JSON.parse(fields.spec);
          } catch (err) {
            throw new InvalidParameter(`field 'spec' is not valid JSON: ${(err as Error).message}`);
          }
          const serving = parseField('spec', ServingSpec, specJson);
          return registerModel(deps, { name, description: fields.description, serving, source: null, packageDir });
        }
        const body = parseField('body', RegisterModelFromArtifacts, request.body);
        const rel = await resolveModelSource(body.source, opts.tracking);
        await copyFromArtifacts(opts.artifactRoot, rel, packageDir);
        return registerModel(deps, { name: body.name, description: body.description, serving: body.spec, source: body.source, packageDir });
      });
      return reply.code(201).send(result);
    },
  });
}

/** Streams every file part to the staging directory; a single zip is extracted into the package directory. */
async function readUpload(request: FastifyRequest, staging: string, packageDir: string, maxBytes: number, maxFiles: number): Promise<Fields> {
  const fields: Fields = {};
  const uploads = path.join(staging, 'upload');
  await fs.promises.mkdir(uploads);
  const names: string[] = [];
  for await (const part of request.parts()) {
    if (part.type === 'field') {
      if (part.fieldname === 'name' || part.fieldname === 'description' || part.fieldname === 'spec') fields[part.fieldname] = String(part.value);
      continue;
    }
    const name = safeEntryName(path.posix.basename((part.filename || part.fieldname).replaceAll('\\', '/')));
    if (names.includes(name)) throw new ModelPackageError(`two uploaded files are named ${name}`);
    names.push(name);
    await pipeline(part.file, fs.createWriteStream(path.join(uploads, name), { flags: 'wx' }));
    if (part.file.truncated) throw tooLarge(maxBytes);
  }
  if (names.length === 0) {
    throw new AppError('INVALID_PARAMETER_VALUE', 'no model file: send the .onnx file, a TF.js zip, or model.json with its shards', { reason: 'missing_file' });
  }
  if (names.length === 1 && (await isZipFile(path.join(uploads, names[0]!)))) {
    await fs.promises.mkdir(packageDir);
    await extractZip(path.join(uploads, names[0]!), packageDir, { maxEntries: maxFiles, maxTotalBytes: maxBytes });
  } else {
    await fs.promises.rename(uploads, packageDir);
  }
  return fields;
}

function parseField<T>(what: string, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } } }, value: unknown): T {
  if (value === undefined) throw new InvalidParameter(`missing field '${what}'`);
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => `${[what, ...i.path.map(String)].join('.')}: ${i.message}`);
  throw new InvalidParameter(`invalid ${what}: ${issues.join('; ')}`);
}

function tooLarge(limit: number): AppError {
  return new AppError('PAYLOAD_TOO_LARGE', `the model upload is larger than the ${limit} bytes limit (FOODLENS_MAX_ARTIFACT_BYTES)`, { reason: 'too_large' });
}
