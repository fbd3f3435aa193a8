// GET/PUT /api/v1/mlops/deployment and POST /api/v1/mlops/deployment/rollback: how a registered model is served
// (any registered model; one deployment each).
// The champion (the model's `champion` alias) answers every request not routed to a challenger; challengers get a
// sticky per-user share in percent; an optional shadow version runs after the response on a sample of requests.
import { z } from 'zod';

/** Registry versions are positive integers; accepted as 2 or "2", answered as "2". */
export const DeploymentVersion = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .pipe(z.string().regex(/^[1-9]\d{0,9}$/, 'model versions are positive integers'));

export const Challenger = z.object({
  version: DeploymentVersion,
  /** share of users, in percent (the champion gets what the challengers leave) */
  weight: z.number().int('weights are whole percents').min(0).max(100),
});
export type Challenger = z.infer<typeof Challenger>;

export const Shadow = z.object({
  version: DeploymentVersion,
  /** probability that a served request is also run on the shadow version, 0..1 */
  sample_rate: z.number().min(0).max(1),
});
export type Shadow = z.infer<typeof Shadow>;

/** A deployment as stored and answered (versions already normalised, so answers encode without transforms). */
export const DeploymentConfig = z.object({
  champion: z.string(),
  challengers: z.array(Challenger.extend({ version: z.string() })),
  shadow: Shadow.extend({ version: z.string() }).nullable(),
});
export type DeploymentConfig = z.infer<typeof DeploymentConfig>;

const modelName = z.string().min(1).max(500).default('food-detector');

export const DeploymentQuery = z.object({
  model: modelName,
  /** revisions of history to answer, newest first */
  history: z.coerce.number().int().min(0).max(100).default(10),
});

/** A new configuration, replacing the current one: challengers default to none, shadow to off, champion to the
 * current champion (given, it also moves the model's `champion` alias). For a registered model without a deployment
 * this creates it: the champion is then required unless the model already has a `champion` alias. */
export const DeploymentUpdate = z
  .object({
    model: modelName,
    champion: DeploymentVersion.optional(),
    challengers: z.array(Challenger).max(20).default([]),
    shadow: Shadow.nullable().default(null),
    /** why, kept with the revision */
    comment: z.string().max(1000).optional(),
  })
  .strict();
export type DeploymentUpdate = z.infer<typeof DeploymentUpdate>;

export const DeploymentRollback = z.object({ model: modelName }).strict();

export const DeploymentRevision = z.object({
  revision: z.number().int(),
  config: DeploymentConfig,
  created_time: z.number().int(),
  comment: z.string().nullable(),
});
export type DeploymentRevision = z.infer<typeof DeploymentRevision>;

export const DeployedVersion = z.object({
  version: z.string(),
  /** 'champion', 'challenger 30%', 'shadow 10%'; empty for a version still finishing requests before it is unloaded */
  roles: z.array(z.string()),
  loaded: z.boolean(),
  /** requests running on it in this instance */
  in_flight: z.number().int(),
});

export const DeploymentState = z.object({
  model: z.string(),
  /** revision this instance serves */
  revision: z.number().int(),
  updated_time: z.number().int(),
  config: DeploymentConfig,
  versions: z.array(DeployedVersion),
  shadow_runs: z.object({ started: z.number().int(), skipped: z.number().int(), failed: z.number().int() }),
  history: z.array(DeploymentRevision),
});
export type DeploymentState = z.infer<typeof DeploymentState>;
