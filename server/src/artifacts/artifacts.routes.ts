// MLflow's artifact proxy (the *_mlflow_artifacts handlers of mlflow/server/handlers.py), as the 2.12 client uses it,
// under /api/2.0 and the UI's /ajax-api/2.0 mirror. Multipart upload (mpu/create|complete|abort) is left out: the client
// uses it only for cloud destinations with the opt-in MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD.
import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ArtifactStore } from './artifact-store.js';
import { contentDisposition, guessContentType } from './content-type.js';

const PREFIXES = ['/api/2.0', '/ajax-api/2.0'];

const ListQuery = z.object({ path: z.string().optional() });
const PathParams = z.object({ '*': z.string() });

export async function artifactRoutes(app: FastifyInstance, opts: { store: ArtifactStore }): Promise<void> {
  const { store } = opts;
  // Artifacts are opaque bytes of any declared type (the client guesses it from the extension, so a .json file may
  // arrive as application/json): every body reaches the handler as the unread request stream, and the store writes it
  // to disk as it arrives, enforcing FOODLENS_MAX_ARTIFACT_BYTES. This plugin is encapsulated, so the parsers of the
  // rest of the app are untouched.
  app.setValidatorCompiler(validatorCompiler); // the schemas below are zod, whatever the host app uses
  app.setSerializerCompiler(serializerCompiler);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  const r = app.withTypeProvider<ZodTypeProvider>();
  for (const prefix of PREFIXES) {
    const base = `${prefix}/mlflow-artifacts/artifacts`;

    // List: entries named relative to the listed directory; {} for an empty directory, a file or a missing path
    // (the client's download_artifacts reads an empty listing as "this is a file" and then GETs it).
    r.get(base, { schema: { querystring: ListQuery } }, async (request) => {
      const files = await store.list(request.query.path ?? '');
      return files.length > 0 ? { files } : {};
    });

    r.get(`${base}/*`, { schema: { params: PathParams } }, async (request, reply) => {
      const artifactPath = request.params['*'];
      const file = await store.get(artifactPath);
      return reply
        .header('content-type', guessContentType(artifactPath))
        .header('content-disposition', contentDisposition(artifactPath))
        .header('x-content-type-options', 'nosniff')
        .header('content-length', file.size)
        .send(file.stream);
    });

    r.put(`${base}/*`, { schema: { params: PathParams } }, async (request) => {
      // No body at all (no Content-Type, no length) skips the parser: the raw request is then an empty stream.
      const body = (request.body as Readable | undefined) ?? request.raw;
      const length = request.headers['content-length'];
      try {
        // destroyOnReturn false: when the store gives up (413), the request must survive so its rest can drain below.
        await store.put(request.params['*'], body.iterator({ destroyOnReturn: false }), {
          declaredBytes: length === undefined ? undefined : Number(length),
        });
      } catch (err) {
        // A client still sending only reads our answer once its body is taken off the wire: discard the rest, as
        // Node does for bodies nobody reads (requestTimeout bounds how long). Destroying the socket instead would
        // leave the client with a connection reset rather than the 413.
        if (!body.destroyed) body.resume();
        throw err;
      }
      return {};
    });

    r.delete(`${base}/*`, { schema: { params: PathParams } }, async (request) => {
      await store.delete(request.params['*']);
      return {};
    });
  }
}
