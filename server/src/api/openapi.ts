// The OpenAPI description, generated from the routes' zod schemas (every /api route declares them), at /docs/json, and
// Swagger UI at /docs, served from the npm package (no CDN). Registered before the routes, which it collects as they
// are added. Each operation says which token it needs, from the same access table the gate uses
// (auth/route-access.ts): bearer (or Basic, as MLflow clients send it) by default, none for open routes, so Swagger
// UI's Authorize button sends a token wherever one is needed.
import fastifySwagger, { type SwaggerTransform } from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import type { Role } from '../auth/roles.js';
import { DOCS_CSP } from '../limits/security-headers.js';
import { FOODLENS_VERSION } from '../version.js';

export interface OpenApiOptions {
  /** the role a route needs, or 'open' (the access gate's answer) */
  need: (method: string, url: string) => Role | 'open';
}

export async function registerOpenApi(app: FastifyInstance, opts: OpenApiOptions): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'FoodLens API',
        version: FOODLENS_VERSION,
        description:
          'Food-image recognition with the MLOps layer built in: predictions, monitoring, alerts, deployments (/api/v1), and MLflow 2.12 tracking and registry (/api/2.0/mlflow). ' +
          'When the server has tokens configured, send one as `Authorization: Bearer <token>` (or HTTP Basic with the token as the password); each operation names the role it needs.',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'A FoodLens token (FOODLENS_TOKENS)' },
          basicAuth: { type: 'http', scheme: 'basic', description: 'Any user name, the token as the password (what MLflow clients send)' },
        },
      },
      // either scheme; open operations override this with none
      security: [{ bearerAuth: [] }, { basicAuth: [] }],
    },
    transform: withAccess(opts.need),
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: DOCS_CSP });
}

/** jsonSchemaTransform, then each operation's security: none for open routes, the role needed in the description. */
function withAccess(need: OpenApiOptions['need']): SwaggerTransform {
  return (input) => {
    const out = jsonSchemaTransform(input as Parameters<typeof jsonSchemaTransform>[0]);
    const schema = (out.schema ?? {}) as Record<string, unknown>;
    if (schema.hide) return out;
    const method = [input.route.method].flat()[0]!;
    const role = need(method, input.route.url);
    if (role === 'open') return { ...out, schema: { ...schema, security: [] } };
    const note = `Needs a token with the ${role} role (or a higher one) when the server has tokens configured.`;
    const description = typeof schema.description === 'string' ? `${schema.description}\n\n${note}` : note;
    return { ...out, schema: { ...schema, description } };
  };
}
