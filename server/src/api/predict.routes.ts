// POST /api/v1/predict: a photo in (multipart field `file`, or a raw image body), the food it shows out. The model
// (default food-detector) is named by `?model=`, else the multipart field `model`, else the header `X-Model`.
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody, PredictQuery, PredictResponse } from '@foodlens/contracts';
import { ImageRejected } from '../images/decode.js';
import { errorClassOf, type PredictService } from '../serving/predict.service.js';
import { clientReason } from './error-handler.js';
import { AppError, InvalidParameter } from '../util/errors.js';

/** Errors Fastify raises while reading the body, before the handler runs; logged as failed predictions here. */
const BODY_ERRORS = new Set(['FST_ERR_CTP_BODY_TOO_LARGE', 'FST_ERR_CTP_INVALID_CONTENT_LENGTH']);
const MAX_USER_ID = 200;
/** registered model names are at most 500 characters (MLflow's limit too) */
const MAX_MODEL_NAME = 500;
/** what a multipart body may hold besides the file: up to 8 fields of 1 KiB, part headers and boundaries */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

export interface PredictRouteOptions {
  predict: PredictService;
  maxUploadBytes: number;
}

export async function predictRoutes(app: FastifyInstance, opts: PredictRouteOptions): Promise<void> {
  // Multipart does not enforce bodyLimit as a total, so every limit is set explicitly.
  await app.register(multipart, {
    limits: {
      fileSize: opts.maxUploadBytes,
      files: 1,
      fields: 8,
      fieldSize: 1024,
      fieldNameSize: 100,
      parts: 10,
      headerPairs: 100,
    },
  });
  // Any other body arrives as bytes (this plugin's routes only): the bytes are sniffed, the declared type never
  // trusted, so image/jpeg, application/octet-stream or a mislabelled upload all get the same clear answer. That
  // includes JSON and text: a photo labelled application/json is still a photo, and JSON is refused as not an image.
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: opts.maxUploadBytes }, (_req, body, done) =>
    done(null, body),
  );
  // Body-size errors come from Fastify and multipart with terse messages; say what the limit is.
  app.setErrorHandler(async (err) => {
    if (clientReason(err) === 'too_large') {
      throw new ImageRejected('too_large', `the upload is larger than the ${formatBytes(opts.maxUploadBytes)} limit`);
    }
    throw err;
  });
  // A multipart body is read by the handler, not by Fastify's bodyLimit: one that announces more than the file limit
  // plus room for its fields and boundaries is refused before a byte of it is read, instead of waiting for it.
  app.addHook('preValidation', async (request) => {
    const declared = Number(request.headers['content-length']);
    if (request.isMultipart() && declared > opts.maxUploadBytes + MULTIPART_OVERHEAD_BYTES) {
      opts.predict.logRejected('too_large', { userId: null, startedAt: performance.now(), bodyBytes: null });
      throw new ImageRejected('too_large', `the upload is larger than the ${formatBytes(opts.maxUploadBytes)} limit`);
    }
  });
  app.addHook('onError', async (request, _reply, err) => {
    if (err.code && BODY_ERRORS.has(err.code)) {
      opts.predict.logRejected(clientReason(err) ?? err.code, { userId: null, startedAt: performance.now(), bodyBytes: null });
    }
  });

  app.withTypeProvider<ZodTypeProvider>().post('/api/v1/predict', {
    schema: {
      summary: 'Recognise the food in a photo, with the deployed model named by ?model=, field `model` or X-Model (default food-detector)',
      querystring: PredictQuery,
      response: { 200: PredictResponse, '4xx': ErrorBody, '5xx': ErrorBody },
    },
    handler: async (request, reply) => {
      const startedAt = performance.now();
      let userId: string | null = null;
      let model: string | null = null;
      let body: Buffer;
      try {
        userId = userIdFrom(request.headers['x-user-id']);
        const upload = await readUpload(request);
        body = upload.body;
        userId = upload.userId ?? userId;
        // the most explicit wins: the URL, then the form, then the header
        model = modelFrom(request.query.model) ?? upload.model ?? modelFrom(request.headers['x-model']);
      } catch (err) {
        opts.predict.logRejected(clientReason(err) ?? errorClassOf(err), { userId, startedAt, bodyBytes: null });
        throw err;
      }
      const { response, afterResponse } = await opts.predict.predict({ body, userId, model, startedAt });
      // 'close' follows the end of the response (or a dropped connection): the shadow run never delays the answer.
      if (afterResponse) reply.raw.once('close', afterResponse);
      return response;
    },
  });
}

interface Upload {
  body: Buffer;
  userId: string | null;
  model: string | null;
}

async function readUpload(request: FastifyRequest): Promise<Upload> {
  if (request.isMultipart()) {
    let body: Buffer | null = null;
    let userId: string | null = null;
    let model: string | null = null;
    try {
      // Iterate every part so `user_id` and `model` may come before or after the file.
      for await (const part of request.parts()) {
        if (part.type === 'file') {
          if (part.fieldname === 'file' && body === null) body = await part.toBuffer();
          else part.file.resume();
        } else if (part.fieldname === 'user_id') {
          userId = userIdFrom(part.value);
        } else if (part.fieldname === 'model') {
          model = modelFrom(part.value);
        }
      }
    } catch (err) {
      throw malformedMultipart(err);
    }
    if (!body) throw new ImageRejected('missing_file', "no file: send the photo in the multipart field 'file'");
    return { body, userId, model };
  }
  if (Buffer.isBuffer(request.body)) return { body: request.body, userId: null, model: null };
  if (request.body === undefined || request.body === null) {
    throw new ImageRejected('missing_file', "no file: send multipart/form-data with field 'file', or an image/jpeg|png|webp body");
  }
  // A body some other parser produced is never an image.
  throw new ImageRejected('bad_format', `unsupported content type ${request.headers['content-type'] ?? '(none)'}: send an image`);
}

/**
 * The multipart parser (busboy) fails a body it cannot frame (cut short, no boundary, a malformed part header) with a
 * plain Error, and the plugin a JSON field that does not parse with a 406: both are the client's malformed body, 400.
 * Our own errors and the plugin's size and count limits (413) pass unchanged.
 */
function malformedMultipart(err: unknown): unknown {
  if (err instanceof AppError || (err as { statusCode?: unknown } | null)?.statusCode === 413) return err;
  const detail = err instanceof Error ? `: ${err.message}` : '';
  return new InvalidParameter(`the multipart body is malformed${detail}`, { reason: 'bad_multipart' });
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`;
}

function modelFrom(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (trimmed.length > MAX_MODEL_NAME) throw new InvalidParameter(`model is longer than ${MAX_MODEL_NAME} characters`, { reason: 'bad_model' });
  return trimmed;
}

function userIdFrom(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  if (trimmed.length > MAX_USER_ID) throw new InvalidParameter(`user_id is longer than ${MAX_USER_ID} characters`);
  return trimmed;
}
