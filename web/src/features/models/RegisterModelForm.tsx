import { ServableModelName } from '@foodlens/contracts';
import { useId, useState } from 'react';
import { useNavigate } from 'react-router';
import { errorDetail } from '../../components/QueryError';
import { ApiError } from '../../lib/api';
import { useRegisterModel } from './mutations';
import { checkSpec, DEFAULT_SPEC_FORM, formFromSpec, specFromForm, type SpecForm } from './spec-form';
import { SpecFields } from './SpecFields';

const ACCEPT = '.onnx,.zip,.json,.bin';

/** POST /api/v1/mlops/register-model as multipart; on success, the new version's model page. */
export function RegisterModelForm(props: { initialName: string }) {
  const id = useId();
  const navigate = useNavigate();
  const register = useRegisterModel();
  const [name, setName] = useState(props.initialName);
  const [description, setDescription] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [form, setForm] = useState<SpecForm>(DEFAULT_SPEC_FORM);
  // the raw JSON view: null while the guided form is shown
  const [raw, setRaw] = useState<string | null>(null);
  const [problems, setProblems] = useState<string[]>([]);

  const toggleRaw = (on: boolean) => {
    if (on) {
      setRaw(JSON.stringify(specFromForm(form), null, 2));
      setProblems([]);
      return;
    }
    const spec = parseRaw(raw ?? '');
    if (!spec.ok) return setProblems(spec.problems.map((p) => `raw JSON: ${p}`));
    setForm(formFromSpec(spec.spec));
    setRaw(null);
    setProblems([]);
  };

  const submit = () => {
    const found: string[] = [];
    const nameOk = ServableModelName.safeParse(name.trim());
    if (!nameOk.success) found.push(`name: ${nameOk.error.issues[0]?.message ?? 'invalid'}`);
    if (files.length === 0) found.push('model file: choose the .onnx file, a TF.js zip, or model.json with its .bin shards');
    const spec = raw === null ? checkSpec(specFromForm(form)) : parseRaw(raw);
    if (!spec.ok) found.push(...spec.problems.map((p) => `spec ${p}`));
    setProblems(found);
    if (found.length > 0 || !spec.ok) return;
    register.mutate(
      { name: name.trim(), description: description.trim() || undefined, spec: spec.spec, files },
      { onSuccess: (v) => void navigate(`/models/${encodeURIComponent(v.name)}`, { state: { registered: v } }) },
    );
  };

  const error = register.error;
  return (
    <form
      className="register-form"
      noValidate
      aria-describedby={problems.length > 0 ? `${id}-problems` : undefined}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${id}-name`}>Model name</label>
          <input
            id={`${id}-name`}
            name="name"
            required
            value={name}
            autoComplete="off"
            aria-describedby={`${id}-name-hint`}
            onChange={(e) => setName(e.target.value)}
          />
          <p id={`${id}-name-hint`} className="hint">
            Letters, digits, . _ -; an existing name gets a new version.
          </p>
        </div>
        <div className="field wide">
          <label htmlFor={`${id}-file`}>Model file(s)</label>
          <input
            id={`${id}-file`}
            type="file"
            name="file"
            accept={ACCEPT}
            multiple
            required
            aria-describedby={`${id}-file-hint`}
            onChange={(e) => setFiles([...(e.target.files ?? [])])}
          />
          <p id={`${id}-file-hint`} className="hint">
            One .onnx, one TF.js .zip, or model.json with its .bin shards.
          </p>
        </div>
        <div className="field wide">
          <label htmlFor={`${id}-description`}>Description (optional)</label>
          <input id={`${id}-description`} name="description" value={description} onChange={(e) => setDescription(e.target.value)} />
        </div>
      </div>

      <label className="check">
        <input type="checkbox" checked={raw !== null} onChange={(e) => toggleRaw(e.target.checked)} />
        Edit the serving spec as raw JSON
      </label>
      {raw === null ? (
        <SpecFields form={form} onChange={setForm} />
      ) : (
        <div className="field">
          <label htmlFor={`${id}-raw`}>Serving spec (JSON)</label>
          <textarea
            id={`${id}-raw`}
            className="code"
            rows={16}
            spellCheck={false}
            value={raw}
            onChange={(e) => setRaw(e.target.value)}
          />
          <p className="hint">
            Fields: task, labels, input (width, height, layout, channel_order, resize, name), normalization, output
            (activation, name), min_confidence, top_k, iou_threshold.
          </p>
        </div>
      )}

      {problems.length > 0 && (
        <div role="alert" id={`${id}-problems`} className="error">
          <p>Fix these first:</p>
          <ul className="problems">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      {error && (
        <p role="alert" className="error" data-testid="register-error">
          The model was not registered. {errorDetail(error)}
          {error instanceof ApiError && error.reason ? ` (reason: ${error.reason})` : ''}
        </p>
      )}
      <div className="actions">
        <button type="submit" aria-busy={register.isPending} disabled={register.isPending}>
          {register.isPending ? 'Validating and registering…' : 'Register model'}
        </button>
        {register.isPending && (
          <span className="muted small" role="status">
            The server loads the model and runs it once before it registers it.
          </span>
        )}
      </div>
    </form>
  );
}

function parseRaw(text: string): ReturnType<typeof checkSpec> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [`is not valid JSON: ${(e as Error).message}`] };
  }
  return checkSpec(value);
}
