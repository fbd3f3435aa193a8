import { z } from 'zod';

/** Every /api/v1 error answers this shape. */
export const ErrorBody = z.object({
  error: z.object({
    /** stable machine-readable code, e.g. UNSUPPORTED_MEDIA_TYPE */
    code: z.string(),
    message: z.string(),
    /** finer cause where one exists, e.g. pixel_limit, corrupt, bad_format */
    reason: z.string().optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;
