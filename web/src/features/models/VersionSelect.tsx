import { useId } from 'react';

/** A labelled select of model versions; a current value missing from `versions` stays listed so it is never lost. */
export function VersionSelect(props: { label: string; value: string; versions: readonly string[]; onChange: (v: string) => void }) {
  const id = useId();
  const options = props.value && !props.versions.includes(props.value) ? [props.value, ...props.versions] : props.versions;
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {!props.value && <option value="">pick a version</option>}
        {options.map((v) => (
          <option key={v} value={v}>
            v{v}
          </option>
        ))}
      </select>
    </div>
  );
}
