// Calls to /api/v1/mlops/alerts (server/src/api/alerts.routes.ts), each answer validated with the shared contracts.
import {
  AlertEvaluation,
  AlertList,
  AlertRule,
  AlertRuleList,
  DeliveryList,
  type AlertRuleBody,
  type DeliveryStatus,
} from '@foodlens/contracts';
import { z } from 'zod';
import { jsonInit, query, request } from '../../lib/api';

const RULES = '/api/v1/mlops/alerts/rules';
const rule = (id: string) => `${RULES}/${encodeURIComponent(id)}`;

/** POST .../test answers 202 with how many deliveries it queued; DELETE answers 204 with no body. */
const TestQueued = z.object({ queued: z.number().int() });
const NoBody = z.null();

export function listRules(): Promise<AlertRuleList> {
  return request(AlertRuleList, RULES);
}

export function getRule(id: string): Promise<AlertRule> {
  return request(AlertRule, rule(id));
}

export function createRule(body: AlertRuleBody): Promise<AlertRule> {
  return request(AlertRule, RULES, jsonInit('POST', body));
}

export function replaceRule(id: string, body: AlertRuleBody): Promise<AlertRule> {
  return request(AlertRule, rule(id), jsonInit('PUT', body));
}

/** Some fields only, merged into the stored rule by the server (mute, enable). */
export function patchRule(id: string, patch: Partial<AlertRuleBody>): Promise<AlertRule> {
  return request(AlertRule, rule(id), jsonInit('PATCH', patch));
}

export async function deleteRule(id: string): Promise<void> {
  await request(NoBody, rule(id), jsonInit('DELETE'));
}

export function testRule(id: string): Promise<z.infer<typeof TestQueued>> {
  return request(TestQueued, `${rule(id)}/test`, jsonInit('POST'));
}

export interface AlertListParams {
  scope: 'current' | 'recent';
  limit: number;
  history?: number;
}

export function listAlerts(p: AlertListParams): Promise<AlertList> {
  return request(AlertList, `/api/v1/mlops/alerts?${query({ scope: p.scope, limit: p.limit, history: p.history ?? 20 })}`);
}

export function listDeliveries(status: DeliveryStatus | undefined, limit: number): Promise<DeliveryList> {
  return request(DeliveryList, `/api/v1/mlops/alerts/deliveries?${query({ status, limit })}`);
}

export function evaluateNow(): Promise<AlertEvaluation> {
  return request(AlertEvaluation, '/api/v1/mlops/alerts/evaluate', jsonInit('POST'));
}
