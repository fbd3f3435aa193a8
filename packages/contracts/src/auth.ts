import { z } from 'zod';

/** Token roles, weakest first: each includes what the ones before it may do (admin > writer > reader). */
export const Role = z.enum(['reader', 'writer', 'admin']);
export type Role = z.infer<typeof Role>;

/** GET /api/v1/auth/whoami: whether this server wants a token, and what the token sent (if any) may do. */
export const WhoAmI = z.object({
  /** false when no tokens are configured: every caller may do everything (and the server listens on loopback only) */
  auth_required: z.boolean(),
  /** the sent token's role; admin when authentication is off; null when a token is required and none was sent */
  role: Role.nullable(),
  /** the token's name from the configuration, if it has one */
  name: z.string().nullable(),
  /** whether POST /api/v1/predict needs a token (FOODLENS_PREDICT_REQUIRES_TOKEN) */
  predict_requires_token: z.boolean(),
});
export type WhoAmI = z.infer<typeof WhoAmI>;
