import { Link, useNavigate, useParams } from 'react-router';
import { QueryError } from '../../components/QueryError';
import { ApiError } from '../../lib/api';
import { createRule, replaceRule } from './api';
import { emptyValues, valuesFromRule } from './form-values';
import { useAlertsMutation, useRule } from './queries';
import { RuleForm } from './RuleForm';
import './alerts.css';

/** /alerts/rules/new and /alerts/rules/:id: the same form, empty or filled with the stored rule. */
export function RuleFormPage() {
  const { id } = useParams();
  return id === undefined ? <NewRule /> : <EditRule id={id} />;
}

function useBackToList() {
  const navigate = useNavigate();
  return (notice: string) => navigate('/alerts', { state: { notice } });
}

function NewRule() {
  const back = useBackToList();
  const create = useAlertsMutation(createRule);
  return (
    <section className="card alerts-page">
      <h1>New alert rule</h1>
      <RuleForm initial={emptyValues()} submitLabel="Create rule" onSave={create.mutateAsync} onSaved={(r) => back(`Rule “${r.name}” created.`)} />
    </section>
  );
}

function EditRule({ id }: { id: string }) {
  const back = useBackToList();
  const rule = useRule(id);
  const replace = useAlertsMutation((body: Parameters<typeof replaceRule>[1]) => replaceRule(id, body));
  return (
    <section className="card alerts-page">
      <h1>Edit alert rule{rule.data ? `: ${rule.data.name}` : ''}</h1>
      {rule.isPending && <p>Loading…</p>}
      {rule.isError &&
        (rule.error instanceof ApiError && rule.error.status === 404 ? (
          <p className="empty">
            There is no alert rule {id} (it may have been deleted). <Link to="/alerts">Back to the rules</Link>.
          </p>
        ) : (
          <QueryError what="The rule" error={rule.error} />
        ))}
      {rule.data && (
        <>
          {rule.data.builtin && (
            <p className="muted small">A built-in rule, created at the first start: your changes are kept, and once deleted it does not come back.</p>
          )}
          <RuleForm
            // a refetch must not reset what is being typed: the form starts from the rule as first loaded
            key={rule.data.id}
            initial={valuesFromRule(rule.data)}
            submitLabel="Save changes"
            onSave={replace.mutateAsync}
            onSaved={(r) => back(`Rule “${r.name}” saved.`)}
          />
        </>
      )}
    </section>
  );
}
