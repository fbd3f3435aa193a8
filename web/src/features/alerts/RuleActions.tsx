import type { AlertRule } from '@foodlens/contracts';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorDetail } from '../../components/QueryError';
import { dateTime } from '../../lib/format';
import { deleteRule, patchRule, testRule } from './api';
import { DeleteRuleButton } from './DeleteRuleButton';
import { MuteMenu } from './MuteMenu';
import { useAlertsMutation } from './queries';

type Outcome = { ok: true; text: string } | { ok: false; text: string } | null;

/** Edit, mute, enable/disable, send a test notification, delete: each says what happened (or the server's error). */
export function RuleActions({ rule }: { rule: AlertRule }) {
  const [outcome, setOutcome] = useState<Outcome>(null);
  const report = (ok: boolean, text: string) => setOutcome({ ok, text } as Outcome);
  const patch = useAlertsMutation((p: Parameters<typeof patchRule>[1]) => patchRule(rule.id, p));
  const test = useAlertsMutation(() => testRule(rule.id));
  const remove = useAlertsMutation(() => deleteRule(rule.id));
  const busy = patch.isPending || test.isPending || remove.isPending;

  const change = (p: Parameters<typeof patchRule>[1], done: string) =>
    patch.mutate(p, { onSuccess: () => report(true, done), onError: (e) => report(false, `The rule could not be changed. ${errorDetail(e)}`) });

  return (
    <div className="rule-actions">
      <Link className="button-link secondary" to={`/alerts/rules/${encodeURIComponent(rule.id)}`} aria-label={`Edit ${rule.name}`}>
        Edit
      </Link>
      <MuteMenu
        rule={rule}
        busy={busy}
        onMute={(until) => change({ muted_until: until }, until === null ? 'Unmuted.' : `Muted until ${dateTime(until)}.`)}
      />
      <button
        type="button"
        className="secondary"
        disabled={busy}
        aria-label={`${rule.enabled ? 'Disable' : 'Enable'} ${rule.name}`}
        onClick={() => change({ enabled: !rule.enabled }, rule.enabled ? 'Disabled.' : 'Enabled.')}
      >
        {rule.enabled ? 'Disable' : 'Enable'}
      </button>
      <button
        type="button"
        className="secondary"
        disabled={busy}
        aria-busy={test.isPending}
        aria-label={`Send test notification for ${rule.name}`}
        onClick={() =>
          test.mutate(undefined, {
            onSuccess: (r) => report(true, `Test notification queued for ${r.queued} webhook${r.queued === 1 ? '' : 's'}: see the delivery log.`),
            onError: (e) => report(false, `No test notification was queued. ${errorDetail(e)}`),
          })
        }
      >
        Send test
      </button>
      <DeleteRuleButton
        name={rule.name}
        busy={busy}
        onDelete={() => remove.mutate(undefined, { onError: (e) => report(false, `The rule could not be deleted. ${errorDetail(e)}`) })}
      />
      {/* always rendered so screen readers announce what is put in it */}
      <p role="status" className={`rule-outcome ${outcome && !outcome.ok ? 'error' : 'muted'}`}>
        {outcome?.text}
      </p>
    </div>
  );
}
