// MLflow run endpoints: create, get, update, delete, restore, search. Every run id field accepts run_id or its old
// name run_uuid (the Python client sends both).
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { TrackingService } from '../../tracking/types.js';
import { InvalidParameter } from '../../util/errors.js';
import { int64, keyValue, missingMessage, objectList, runIdOf, runStatus, str, stringList, viewType } from './lenient.js';
import { page, runInfoJson, runJson } from './to-json.js';

/** run_id / run_uuid, at least one of them. */
export const RunRef = {
  run_id: str('run_id').optional(),
  run_uuid: str('run_uuid').optional(),
};

export function requireRunId(body: { run_id?: string | undefined; run_uuid?: string | undefined }): string {
  const id = runIdOf(body);
  if (!id) throw new InvalidParameter(missingMessage('run_id'));
  return id;
}

const CreateRun = z.object({
  experiment_id: str('experiment_id').optional(),
  user_id: str('user_id').optional(),
  run_name: str('run_name').optional(),
  start_time: int64('start_time').optional(),
  tags: objectList('tags', keyValue),
});
const RunIdOnly = z.object(RunRef);
const UpdateRun = z.object({
  ...RunRef,
  status: runStatus('status').optionalIgnoringInvalid(),
  end_time: int64('end_time').optional(),
  run_name: str('run_name').optional(),
});
const SearchRuns = z.object({
  experiment_ids: stringList('experiment_ids'),
  filter: str('filter').optional(),
  run_view_type: viewType('run_view_type').optionalIgnoringInvalid(),
  max_results: int64('max_results').optional(),
  order_by: stringList('order_by'),
  page_token: str('page_token').optional(),
});

export async function runsRoutes(app: FastifyInstance, opts: { tracking: TrackingService }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const t = opts.tracking;

  r.post('/runs/create', { schema: { body: CreateRun } }, async (req) => {
    const b = req.body;
    const run = await t.createRun({
      experimentId: b.experiment_id,
      userId: b.user_id,
      runName: b.run_name,
      startTime: b.start_time,
      tags: b.tags,
    });
    return { run: runJson(run) };
  });

  r.get('/runs/get', { schema: { querystring: RunIdOnly } }, async (req) => ({ run: runJson(await t.getRun(requireRunId(req.query))) }));

  r.post('/runs/update', { schema: { body: UpdateRun } }, async (req) => {
    const b = req.body;
    const info = await t.updateRun({ runId: requireRunId(b), status: b.status, endTime: b.end_time, runName: b.run_name });
    return { run_info: runInfoJson(info) };
  });

  r.post('/runs/delete', { schema: { body: RunIdOnly } }, async (req) => {
    await t.deleteRun(requireRunId(req.body));
    return {};
  });

  r.post('/runs/restore', { schema: { body: RunIdOnly } }, async (req) => {
    await t.restoreRun(requireRunId(req.body));
    return {};
  });

  r.post('/runs/search', { schema: { body: SearchRuns } }, async (req) => {
    const b = req.body;
    const result = await t.searchRuns({
      experimentIds: b.experiment_ids,
      filter: b.filter,
      runViewType: b.run_view_type,
      maxResults: b.max_results,
      orderBy: b.order_by,
      pageToken: b.page_token,
    });
    return page('runs', result.runs.map(runJson), result.nextPageToken);
  });
}
