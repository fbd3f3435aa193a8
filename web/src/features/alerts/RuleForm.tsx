import type { AlertRule, AlertRuleBody } from '@foodlens/contracts';
import { type FormEvent, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { errorDetail } from '../../components/QueryError';
import { ApiError } from '../../lib/api';
import { ConditionFields } from './ConditionFields';
import { serverFieldErrors, validate, type FieldErrors, type RuleFormValues } from './form-values';
import { NotifyFields } from './NotifyFields';
import { WatchFields } from './WatchFields';

/**
 * Creating and editing a rule: every field of AlertRuleInput, checked with the contract on submit (and live after a
 * failed submit), the server's 400 shown beside the fields it names.
 */
export function RuleForm(props: {
  initial: RuleFormValues;
  /** what Save does; rejects with the server's error */
  onSave: (body: AlertRuleBody) => Promise<AlertRule>;
  onSaved: (rule: AlertRule) => void;
  submitLabel: string;
}) {
  const id = useId();
  const form = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState(props.initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [submitted, setSubmitted] = useState(false);
  const [serverError, setServerError] = useState<Error | null>(null);
  const [saving, setSaving] = useState(false);

  const set = (patch: Partial<RuleFormValues>) => {
    const next = { ...values, ...patch };
    setValues(next);
    // after a failed submit, messages follow the fixes as they are typed
    if (submitted) {
      const v = validate(next);
      setErrors(v.ok ? {} : v.errors);
    }
  };

  const focusFirstError = () =>
    requestAnimationFrame(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    setServerError(null);
    const v = validate(values);
    if (!v.ok) {
      setErrors(v.errors);
      focusFirstError();
      return;
    }
    setErrors({});
    setSaving(true);
    try {
      props.onSaved(await props.onSave(v.body));
    } catch (err) {
      setServerError(err as Error);
      if (err instanceof ApiError && err.status === 400) {
        setErrors(serverFieldErrors(err.message));
        focusFirstError();
      }
    } finally {
      setSaving(false);
    }
  };

  const count = Object.keys(errors).length;
  const fields = { values, set, errors, id };
  return (
    <form ref={form} className="rule-form" noValidate onSubmit={(e) => void submit(e)} aria-describedby={count ? `${id}-summary` : undefined}>
      <WatchFields {...fields} />
      <ConditionFields {...fields} />
      <NotifyFields {...fields} />
      <div className="form-actions">
        {count > 0 && (
          <p id={`${id}-summary`} role="alert" className="error">
            {count === 1 ? 'One field needs' : `${count} fields need`} a change: see the messages beside {count === 1 ? 'it' : 'them'}.
            {errors.form && ` ${errors.form}`}
          </p>
        )}
        {serverError && (
          <p role="alert" className="error">
            The rule could not be saved. {errorDetail(serverError)}
          </p>
        )}
        <button type="submit" aria-busy={saving} disabled={saving}>
          {saving ? 'Saving…' : props.submitLabel}
        </button>
        <Link to="/alerts">Cancel</Link>
      </div>
    </form>
  );
}
