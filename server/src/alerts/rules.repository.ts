// alert_rules: each rule is stored as its validated spec (JSON), so a new rule field needs no migration; rows are
// parsed back through AlertRuleInput, which fills defaults a newer version added.
import type { Kysely } from 'kysely';
import { AlertRuleInput } from '@foodlens/contracts';
import type { Tables } from '../db/tables.js';
import { uuidv7 } from '../util/ids.js';

export interface StoredRule {
  id: string;
  spec: AlertRuleInput;
  builtin: string | null;
  createdAt: number;
  updatedAt: number;
}

type RuleRow = Tables['alert_rules'];

function fromRow(row: RuleRow): StoredRule {
  return {
    id: row.id,
    spec: AlertRuleInput.parse(JSON.parse(row.spec)),
    builtin: row.builtin,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export async function listRules(db: Kysely<Tables>): Promise<StoredRule[]> {
  const rows = await db.selectFrom('alert_rules').selectAll().orderBy('created_at').orderBy('id').execute();
  return rows.map(fromRow);
}

export async function getRule(db: Kysely<Tables>, id: string): Promise<StoredRule | null> {
  const row = await db.selectFrom('alert_rules').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? fromRow(row) : null;
}

export async function insertRule(db: Kysely<Tables>, spec: AlertRuleInput, now = Date.now()): Promise<StoredRule> {
  const rule: StoredRule = { id: uuidv7(now), spec, builtin: null, createdAt: now, updatedAt: now };
  await db
    .insertInto('alert_rules')
    .values({ id: rule.id, name: spec.name, spec: JSON.stringify(spec), builtin: null, created_at: now, updated_at: now })
    .execute();
  return rule;
}

/** false when the rule does not exist */
export async function updateRule(db: Kysely<Tables>, id: string, spec: AlertRuleInput, now = Date.now()): Promise<boolean> {
  const r = await db
    .updateTable('alert_rules')
    .set({ name: spec.name, spec: JSON.stringify(spec), updated_at: now })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Deletes the rule and its evaluated state; its history and delivery log stay, and its queued deliveries are
 * cancelled. false when the rule does not exist. */
export async function deleteRule(db: Kysely<Tables>, id: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const r = await trx.deleteFrom('alert_rules').where('id', '=', id).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) return false;
    await trx.deleteFrom('alert_instances').where('rule_id', '=', id).execute();
    await trx
      .updateTable('alert_deliveries')
      .set({ status: 'cancelled', next_attempt_at: null, last_error: 'rule deleted' })
      .where('rule_id', '=', id)
      .where('status', '=', 'pending')
      .execute();
    return true;
  });
}
