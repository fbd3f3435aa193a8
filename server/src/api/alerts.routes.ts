// /api/v1/mlops/alerts: rules (CRUD, mute by PATCH, a test notification), current and recent alerts with their
// history and the evaluator's status, the webhook delivery log, and an evaluation on demand.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AlertEvaluation,
  AlertList,
  AlertListQuery,
  AlertRule,
  AlertRuleId,
  AlertRuleInput,
  AlertRuleList,
  AlertRulePatch,
  DeliveryList,
  DeliveryListQuery,
  ErrorBody,
} from '@foodlens/contracts';
import type { AlertsService } from '../alerts/alerts.service.js';
import type { AlertScheduler } from '../alerts/alert-scheduler.js';
import { redactDelivery, redactRule } from '../alerts/target-redaction.js';

export interface AlertRoutesDeps {
  alerts: AlertsService;
  scheduler: Pick<AlertScheduler, 'evaluate'>;
}

const RULES = '/api/v1/mlops/alerts/rules';

export async function alertRoutes(app: FastifyInstance, deps: AlertRoutesDeps): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const errors = { '4xx': ErrorBody, '5xx': ErrorBody };
  // webhook URLs and headers are secrets: whole only for those who may change rules
  const seesTargets = (request: FastifyRequest) => app.accessGate.callerRole(request.headers.authorization) === 'admin';

  r.get(RULES, {
    schema: { summary: 'Alert rules with the state of each of their scopes', response: { 200: AlertRuleList, ...errors } },
    handler: async (request) => {
      const rules = await deps.alerts.listRules();
      return { rules: seesTargets(request) ? rules : rules.map(redactRule) };
    },
  });

  r.post(RULES, {
    schema: { summary: 'Create an alert rule', body: AlertRuleInput, response: { 201: AlertRule, ...errors } },
    handler: async ({ body }, reply) => reply.code(201).send(await deps.alerts.createRule(body)),
  });

  r.get(`${RULES}/:id`, {
    schema: { summary: 'One alert rule', params: AlertRuleId, response: { 200: AlertRule, ...errors } },
    handler: async (request) => {
      const rule = await deps.alerts.getRule(request.params.id);
      return seesTargets(request) ? rule : redactRule(rule);
    },
  });

  r.put(`${RULES}/:id`, {
    schema: { summary: 'Replace an alert rule (its evaluated state is kept)', params: AlertRuleId, body: AlertRuleInput, response: { 200: AlertRule, ...errors } },
    handler: async ({ params, body }) => deps.alerts.replaceRule(params.id, body),
  });

  r.patch(`${RULES}/:id`, {
    schema: {
      summary: 'Change some fields of an alert rule, e.g. {"muted_until": "2026-12-24T00:00:00Z"} or {"enabled": false}',
      params: AlertRuleId,
      body: AlertRulePatch,
      response: { 200: AlertRule, ...errors },
    },
    handler: async ({ params, body }) => deps.alerts.patchRule(params.id, body),
  });

  r.delete(`${RULES}/:id`, {
    schema: { summary: 'Delete an alert rule (its history and delivery log stay; queued deliveries are cancelled)', params: AlertRuleId, response: { 204: z.null(), ...errors } },
    handler: async ({ params }, reply) => {
      await deps.alerts.deleteRule(params.id);
      return reply.code(204).send(null);
    },
  });

  r.post(`${RULES}/:id/test`, {
    schema: { summary: 'Queue a test notification to each of the rule\'s targets', params: AlertRuleId, response: { 202: z.object({ queued: z.number().int() }), ...errors } },
    handler: async ({ params }, reply) => reply.code(202).send({ queued: await deps.alerts.testRule(params.id) }),
  });

  r.get('/api/v1/mlops/alerts', {
    schema: { summary: 'Current and recent alerts with their state history, and the evaluator\'s status', querystring: AlertListQuery, response: { 200: AlertList, ...errors } },
    handler: async ({ query }) => deps.alerts.listAlerts(query),
  });

  r.get('/api/v1/mlops/alerts/deliveries', {
    schema: { summary: 'Webhook deliveries, newest first, each with its attempts', querystring: DeliveryListQuery, response: { 200: DeliveryList, ...errors } },
    handler: async (request) => {
      const deliveries = await deps.alerts.listDeliveries(request.query);
      return { deliveries: seesTargets(request) ? deliveries : deliveries.map(redactDelivery) };
    },
  });

  r.post('/api/v1/mlops/alerts/evaluate', {
    schema: { summary: 'Evaluate every rule now (on the instance holding the evaluator lease; null elsewhere)', response: { 200: AlertEvaluation, ...errors } },
    handler: async () => {
      const s = await deps.scheduler.evaluate();
      return {
        evaluated: s && { rules: s.rules, instances: s.instances, transitions: s.transitions, notifications: s.notifications, failed_rules: s.failedRules },
      };
    },
  });
}
