// GET/PUT /api/v1/mlops/deployment, POST /api/v1/mlops/deployment/rollback: how a model is served. Any registered
// model: the first PUT for one without a deployment creates it.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { DeploymentQuery, DeploymentRollback, DeploymentState, DeploymentUpdate, ErrorBody } from '@foodlens/contracts';
import type { DeploymentSet } from '../deployments/deployment-set.js';

export async function deploymentRoutes(app: FastifyInstance, opts: { deployments: Pick<DeploymentSet, 'get' | 'update' | 'rollback'> }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const response = { 200: DeploymentState, '4xx': ErrorBody, '5xx': ErrorBody };

  r.get('/api/v1/mlops/deployment', {
    schema: { summary: 'The live deployment of a model: config, revision, loaded versions, recent history', querystring: DeploymentQuery, response },
    handler: async ({ query }) => opts.deployments.get(query.model, query.history),
  });

  r.put('/api/v1/mlops/deployment', {
    schema: {
      summary:
        'Apply a new deployment (champion, weighted challengers, shadow) to a registered model, creating its first one if needed; answers once its versions are loaded and warmed',
      body: DeploymentUpdate,
      response,
    },
    handler: async ({ body }) => opts.deployments.update(body),
  });

  r.post('/api/v1/mlops/deployment/rollback', {
    schema: { summary: 'Apply the previous deployment revision again', body: DeploymentRollback, response },
    handler: async ({ body }) => opts.deployments.rollback(body.model),
  });
}
