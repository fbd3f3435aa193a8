import { useId, useState } from 'react';

/** Sets an alias (MLflow registered-models/alias) on a version; an existing alias moves. */
export function AliasForm(props: {
  versions: string[];
  pending: boolean;
  /** `done` clears the form once the alias is set */
  onSet: (alias: string, version: string, done: () => void) => void;
}) {
  const id = useId();
  const [alias, setAlias] = useState('');
  const [version, setVersion] = useState(props.versions[0] ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <form
      className="search-form"
      aria-label="Set an alias"
      onSubmit={(e) => {
        e.preventDefault();
        const a = alias.trim();
        if (!a) return setProblem('type an alias name');
        // one path for serving changes: the deployment moves the champion alias (and loads the version first)
        if (a === 'champion') return setProblem('the champion alias follows the deployment: use Promote on the version instead');
        setProblem(null);
        props.onSet(a, version, () => setAlias(''));
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-alias`}>Alias</label>
        <input
          id={`${id}-alias`}
          value={alias}
          placeholder="e.g. candidate"
          autoComplete="off"
          onChange={(e) => setAlias(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-version`}>On version</label>
        <select id={`${id}-version`} value={version} onChange={(e) => setVersion(e.target.value)}>
          {props.versions.map((v) => (
            <option key={v} value={v}>
              v{v}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" disabled={props.pending} aria-busy={props.pending}>
        {props.pending ? 'Setting…' : 'Set alias'}
      </button>
      {problem && (
        <p role="alert" className="error hint">
          {problem}
        </p>
      )}
    </form>
  );
}
