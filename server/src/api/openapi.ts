// The OpenAPI description, generated from the routes' zod schemas (every /api route declares them), at /docs/json, and
// Swagger UI at /docs, served from the npm package (no CDN). Registered before the routes, which it collects as they
// are added.
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { FOODLENS_VERSION } from '../version.js';

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'FoodLens API',
        version: FOODLENS_VERSION,
        description:
          'Food-image recognition with the MLOps layer built in: predictions, monitoring, alerts, deployments (/api/v1), and MLflow 2.12 tracking and registry (/api/2.0/mlflow).',
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });
}
