import { z } from 'zod';

export const ModelHealth = z.object({
  name: z.string(),
  /** the champion */
  version: z.string(),
  loaded: z.boolean(),
  workers: z.number().int(),
  queue_depth: z.number().int(),
  /** every version loaded for the deployment, with its roles and requests in flight */
  versions: z
    .array(z.object({ version: z.string(), roles: z.array(z.string()), loaded: z.boolean(), in_flight: z.number().int() }))
    .optional(),
});

export const Health = z.object({
  /** degraded: the database does not answer or the default model (food-detector) is not loaded */
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  uptime_s: z.number(),
  database: z.object({ ok: z.boolean(), dialect: z.enum(['sqlite', 'postgres']), error: z.string().nullable() }),
  /** the default model, food-detector */
  model: ModelHealth,
  /** every model deployed on this instance, the default first */
  models: z.array(ModelHealth).optional(),
  prediction_log: z.object({
    queued: z.number().int(),
    written: z.number().int(),
    dropped: z.number().int(),
    failed_flushes: z.number().int(),
    last_error: z.string().nullable(),
  }),
});
export type Health = z.infer<typeof Health>;
