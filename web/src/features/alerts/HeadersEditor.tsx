import { newKey, type HeaderRow } from './form-values';

/** A webhook's extra request headers as name/value rows (e.g. Authorization for the receiver); at most 20. */
const MAX_HEADERS = 20;

export function HeadersEditor(props: { id: string; target: number; headers: HeaderRow[]; onChange: (h: HeaderRow[]) => void; error?: string }) {
  const { id, headers, onChange } = props;
  const update = (i: number, patch: Partial<HeaderRow>) => onChange(headers.map((h, j) => (j === i ? { ...h, ...patch } : h)));
  const errorId = `${id}-headers-error`;
  return (
    <div className="headers wide">
      <span className="form-label">Headers</span>
      {headers.length === 0 && <span className="hint"> none</span>}
      {headers.map((h, i) => (
        <div key={h.key} className="header-row">
          <input
            type="text"
            aria-label={`Webhook ${props.target} header ${i + 1} name`}
            placeholder="Authorization"
            autoComplete="off"
            spellCheck={false}
            value={h.name}
            aria-invalid={props.error ? true : undefined}
            aria-describedby={props.error ? errorId : undefined}
            onChange={(e) => update(i, { name: e.target.value })}
          />
          <input
            type="text"
            aria-label={`Webhook ${props.target} header ${i + 1} value`}
            placeholder="Bearer …"
            autoComplete="off"
            spellCheck={false}
            value={h.value}
            onChange={(e) => update(i, { value: e.target.value })}
          />
          <button type="button" className="secondary" aria-label={`Remove header ${i + 1} of webhook ${props.target}`} onClick={() => onChange(headers.filter((_, j) => j !== i))}>
            Remove
          </button>
        </div>
      ))}
      {props.error && (
        <span id={errorId} className="field-error">
          {props.error}
        </span>
      )}
      <button
        type="button"
        className="secondary"
        aria-label={`Add header to webhook ${props.target}`}
        disabled={headers.length >= MAX_HEADERS}
        onClick={() => onChange([...headers, { key: newKey(), name: '', value: '' }])}
      >
        Add header
      </button>
    </div>
  );
}
