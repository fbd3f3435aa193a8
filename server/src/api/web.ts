// Serves the built web app (web/dist) at /. When it has not been built, / says how to build it instead.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** web/dist, from server/src/api or server/dist/api alike. */
export const WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

export async function registerWeb(app: FastifyInstance, root = WEB_DIST): Promise<void> {
  if (!existsSync(`${root}/index.html`)) {
    app.get('/', async (_req, reply) =>
      reply.type('text/plain').send('FoodLens API is running. The web app is not built: run `npm run build`.\n'),
    );
    return;
  }
  await app.register(fastifyStatic, { root, index: 'index.html', wildcard: false, maxAge: '1h' });
  // Hashed asset names change on every build; index.html itself must never be cached.
  app.addHook('onSend', async (request, reply) => {
    if (reply.getHeader('content-type')?.toString().startsWith('text/html')) reply.header('cache-control', 'no-cache');
  });
}
