import { useSearchParams } from 'react-router';
import { Panel } from '../../components/Panel';
import { ModelSearch, searchFilter } from './ModelSearch';
import { RegisteredModelsTable } from './RegisteredModelsTable';
import { RegisterModelPanel } from './RegisterModelPanel';
import './models.css';

/** /models: the registry's models with their serving state, a search, and the register form (?register, ?name=). */
export function ModelsPage() {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const registering = params.has('register');
  const update = (change: (p: URLSearchParams) => void) => {
    const next = new URLSearchParams(params);
    change(next);
    setParams(next, { replace: true });
  };
  const filter = searchFilter(q);
  return (
    <div className="models-page">
      <div className="models-head">
        <div>
          <h1>Models</h1>
          <p className="muted">The model registry (MLflow), with what each model serves.</p>
        </div>
        <button
          type="button"
          className={registering ? 'secondary' : undefined}
          aria-expanded={registering}
          aria-controls="register-model"
          onClick={() =>
            update((p) => {
              if (registering) {
                p.delete('register');
                p.delete('name');
              } else p.set('register', '');
            })
          }
        >
          {registering ? 'Close the register form' : 'Register a model'}
        </button>
      </div>
      {registering && <RegisterModelPanel initialName={params.get('name') ?? ''} />}
      <Panel title="Registered models" testId="registered-models">
        <ModelSearch key={`search:${q}`} value={q} onSearch={(v) => update((p) => (v ? p.set('q', v) : p.delete('q')))} filter={filter} />
        {/* a new search starts again at page 1: the key drops the page tokens */}
        <RegisteredModelsTable key={`table:${filter ?? ''}`} filter={filter} onClear={() => update((p) => p.delete('q'))} />
      </Panel>
    </div>
  );
}
