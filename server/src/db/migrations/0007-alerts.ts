// Alerts (server/src/alerts): rules, the evaluated state of each rule's scopes, the state history, the webhook
// outbox with its attempt log, the evaluator lease (one evaluating instance per store), and dropped prediction-log
// records per minute and instance (drops never reach the prediction log, so they are counted here for every instance
// to see). The default rules are created here, once, so a user who deletes one does not see it come back.
import { type Kysely, type Migration } from 'kysely';

/** Frozen with this migration; later defaults need a migration of their own. */
const DEFAULT_RULES = [
  {
    builtin: 'dataset-drift',
    name: 'Data drift',
    description: 'Half or more of the input features drifted from the version\'s drift reference over the last day (Evidently\'s dataset drift).',
    signal: 'dataset_drift', comparator: '>=', threshold: 0.5, window: '24h', for: '15m', renotify: '24h',
    min_requests: 0, severity: 'warning',
  },
  {
    builtin: 'error-rate',
    name: 'Error rate',
    description: 'More than 5% of prediction requests failed over the last 5 minutes (at least 20 requests).',
    signal: 'error_rate', comparator: '>', threshold: 0.05, window: '5m', for: '2m', renotify: '4h',
    min_requests: 20, severity: 'critical',
  },
  {
    builtin: 'latency-p95',
    name: 'Slow predictions',
    description: 'The p95 latency of successful predictions was above 2 s over the last 5 minutes (at least 20 requests).',
    signal: 'latency_p95', comparator: '>', threshold: 2000, window: '5m', for: '5m', renotify: '4h',
    min_requests: 20, severity: 'warning',
  },
  {
    builtin: 'log-drops',
    name: 'Dropped prediction logs',
    description: 'An instance dropped prediction-log records because its queue was full (the store is down or too slow).',
    signal: 'log_drops', comparator: '>', threshold: 0, window: '5m', for: '0s', renotify: '1h',
    min_requests: 0, severity: 'critical',
  },
];

export const alerts: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('alert_rules')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      // the rule as validated (AlertRuleInput with defaults), JSON
      .addColumn('spec', 'text', (c) => c.notNull())
      .addColumn('builtin', 'text', (c) => c.unique())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('alert_instances')
      .addColumn('rule_id', 'text', (c) => c.notNull())
      .addColumn('instance_key', 'text', (c) => c.notNull())
      .addColumn('model_name', 'text')
      .addColumn('model_version', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('since', 'bigint', (c) => c.notNull())
      .addColumn('active_since', 'bigint')
      .addColumn('last_notified_at', 'bigint')
      .addColumn('value', 'double precision')
      .addColumn('last_evaluated_at', 'bigint', (c) => c.notNull())
      // bumped by every write: a writer that read an older revision loses (two evaluators never both notify)
      .addColumn('revision', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('alert_instances_pk', ['rule_id', 'instance_key'])
      .execute();

    await db.schema
      .createTable('alert_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('rule_id', 'text', (c) => c.notNull())
      .addColumn('instance_key', 'text', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('from_state', 'text', (c) => c.notNull())
      .addColumn('to_state', 'text', (c) => c.notNull())
      .addColumn('value', 'double precision')
      .addColumn('threshold', 'double precision', (c) => c.notNull())
      .addColumn('notified', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('alert_events_instance_idx').on('alert_events').columns(['rule_id', 'instance_key', 'at']).execute();
    await db.schema.createIndex('alert_events_at_idx').on('alert_events').column('at').execute();

    await db.schema
      .createTable('alert_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('rule_id', 'text', (c) => c.notNull())
      .addColumn('instance_key', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('format', 'text', (c) => c.notNull())
      // headers JSON (kept out of the delivery log's answers)
      .addColumn('headers', 'text', (c) => c.notNull())
      // the AlertNotification, JSON
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('next_attempt_at', 'bigint')
      .addColumn('delivered_at', 'bigint')
      .addColumn('last_error', 'text')
      .execute();
    await db.schema.createIndex('alert_deliveries_due_idx').on('alert_deliveries').columns(['status', 'next_attempt_at']).execute();
    await db.schema.createIndex('alert_deliveries_rule_idx').on('alert_deliveries').columns(['rule_id', 'created_at']).execute();

    await db.schema
      .createTable('alert_delivery_attempts')
      .addColumn('delivery_id', 'text', (c) => c.notNull())
      .addColumn('attempt', 'integer', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('status_code', 'integer')
      .addColumn('error', 'text')
      .addColumn('duration_ms', 'double precision', (c) => c.notNull())
      .addPrimaryKeyConstraint('alert_delivery_attempts_pk', ['delivery_id', 'attempt'])
      .execute();

    await db.schema
      .createTable('leases')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('holder', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('prediction_log_drops')
      .addColumn('bucket_start', 'bigint', (c) => c.notNull())
      .addColumn('instance_id', 'text', (c) => c.notNull())
      .addColumn('dropped', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('prediction_log_drops_pk', ['bucket_start', 'instance_id'])
      .execute();

    const now = Date.now();
    for (const [i, { builtin, ...rule }] of DEFAULT_RULES.entries()) {
      const spec = {
        feature: null, model: null, version: null, variant: 'served', confidence_threshold: 0.5,
        no_data: 'ok', enabled: true, muted_until: null, targets: [], ...rule,
      };
      await db
        .insertInto('alert_rules')
        .values({ id: `builtin-${builtin}`, name: rule.name, spec: JSON.stringify(spec), builtin, created_at: now + i, updated_at: now + i })
        .execute();
    }
  },

  async down(db: Kysely<any>) {
    for (const t of ['prediction_log_drops', 'leases', 'alert_delivery_attempts', 'alert_deliveries', 'alert_events', 'alert_instances', 'alert_rules']) {
      await db.schema.dropTable(t).execute();
    }
  },
};
