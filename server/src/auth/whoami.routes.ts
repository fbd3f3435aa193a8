// GET /api/v1/auth/whoami (open): whether this server wants a token and what the one sent may do. The web app asks it
// at start and checks a token typed into its dialog with it; a token that is not valid answers 401, like anywhere else.
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ErrorBody, WhoAmI } from '@foodlens/contracts';
import type { AccessGate } from './access-gate.js';
import { sendRefusal } from './refusal.js';

export async function whoamiRoutes(app: FastifyInstance, opts: { gate: AccessGate }): Promise<void> {
  const { gate } = opts;
  app.withTypeProvider<ZodTypeProvider>().get('/api/v1/auth/whoami', {
    schema: {
      summary: 'Whether a token is needed, and the role of the one sent (Authorization: Bearer, or Basic with the token as password)',
      response: { 200: WhoAmI, 401: ErrorBody },
    },
    handler: async (request, reply) => {
      // authentication off: everyone may do everything
      if (!gate.required) return { auth_required: false, role: 'admin', name: null, predict_requires_token: false } as const;
      const who = gate.identify(request.headers.authorization);
      if ('refusal' in who) return sendRefusal(request, reply, who.refusal);
      return {
        auth_required: true,
        role: who.identity?.role ?? null,
        name: who.identity?.name ?? null,
        predict_requires_token: gate.predictRequiresToken,
      };
    },
  });
}
