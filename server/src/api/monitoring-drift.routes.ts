// Drift monitoring: GET /api/v1/mlops/monitoring/drift (a model version's current window against its reference) and
// PUT/GET/DELETE /api/v1/mlops/monitoring/drift/reference (the stored reference of a model version).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  DriftQuery,
  DriftReference,
  DriftReferenceKey,
  DriftReferenceList,
  DriftReferenceListQuery,
  DriftReport,
  ErrorBody,
  PutDriftReferenceBody,
} from '@foodlens/contracts';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { Database } from '../db/connection.js';
import { checkDrift, noReferenceMessage } from '../monitoring/drift-monitor/drift.service.js';
import { deleteReference, listReferences } from '../monitoring/drift-monitor/reference.repository.js';
import { getReference, referenceBody, setReference } from '../monitoring/drift-monitor/reference.service.js';
import { createTrackingService } from '../tracking/tracking.service.js';
import type { TrackingService } from '../tracking/types.js';
import { NotFound } from '../util/errors.js';

export interface MonitoringDriftRoutesOptions {
  database: Database;
  /** where evaluation runs' predictions.csv are read (a reference from an evaluation run); without it such a
   * reference is refused with 503 */
  artifacts?: ArtifactStore;
  /** the runs (default: a tracking service over `database`) */
  tracking?: Pick<TrackingService, 'getRun'>;
}

export async function monitoringDriftRoutes(app: FastifyInstance, opts: MonitoringDriftRoutesOptions): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { database, artifacts } = opts;
  const tracking = opts.tracking ?? createTrackingService(database);

  r.get('/api/v1/mlops/monitoring/drift', {
    schema: {
      summary: "Data drift of a model version's predictions (image statistics, confidence, food) against its stored reference",
      querystring: DriftQuery,
      response: { 200: DriftReport, '4xx': ErrorBody, '5xx': ErrorBody },
    },
    handler: async ({ query }) => checkDrift(database, query),
  });

  r.put('/api/v1/mlops/monitoring/drift/reference', {
    schema: {
      summary:
        'Set the drift reference of a model version: a time window of its predictions, its first N after a time, or the images of an evaluation run of it',
      body: PutDriftReferenceBody,
      response: { 200: DriftReference, '4xx': ErrorBody, '5xx': ErrorBody },
    },
    handler: async ({ body }) => setReference(database, body, Date.now(), { tracking, artifacts }),
  });

  r.get('/api/v1/mlops/monitoring/drift/reference', {
    schema: {
      summary: 'The drift reference of a model version',
      querystring: DriftReferenceKey,
      response: { 200: DriftReference, '4xx': ErrorBody, '5xx': ErrorBody },
    },
    handler: async ({ query }) => {
      const ref = await getReference(database, query.model, query.version);
      if (ref === null) throw new NotFound(noReferenceMessage(query.model, query.version), { reason: 'no_reference' });
      return referenceBody(ref);
    },
  });

  r.get('/api/v1/mlops/monitoring/drift/references', {
    schema: {
      summary: 'The model versions that have a drift reference (without the summaries)',
      querystring: DriftReferenceListQuery,
      response: { 200: DriftReferenceList, '4xx': ErrorBody, '5xx': ErrorBody },
    },
    handler: async ({ query }) => ({
      references: (await listReferences(database.db, query.model)).map((ref) => ({
        model: ref.model,
        version: ref.version,
        source: ref.source,
        description: ref.description,
        rows: ref.rows,
        range: { from: ref.rangeFrom, to: ref.rangeTo },
        created_time: ref.createdTime,
      })),
    }),
  });

  r.delete('/api/v1/mlops/monitoring/drift/reference', {
    schema: {
      summary: 'Delete the drift reference of a model version',
      querystring: DriftReferenceKey,
      response: { 204: z.null().describe('deleted'), '4xx': ErrorBody, '5xx': ErrorBody },
    },
    handler: async ({ query }, reply) => {
      if (!(await deleteReference(database.db, query.model, query.version))) {
        throw new NotFound(`no drift reference for ${query.model} version ${query.version}`, { reason: 'no_reference' });
      }
      return reply.status(204).send(null);
    },
  });
}
