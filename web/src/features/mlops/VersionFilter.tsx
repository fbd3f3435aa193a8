import type { ModelVersionEntry } from '@foodlens/contracts';
import { useId } from 'react';
import { useModelVersions } from './queries';

/** Option values carry the model and version as JSON, since model names may contain any character. */
const encode = (model?: string, version?: string) => JSON.stringify([model ?? null, version ?? null]);

export function VersionFilter(props: { model?: string; version?: string; onChange: (model?: string, version?: string) => void }) {
  const id = useId();
  const list = useModelVersions();
  const byModel = new Map<string, ModelVersionEntry[]>();
  for (const v of list.data?.model_versions ?? []) byModel.set(v.name, [...(byModel.get(v.name) ?? []), v]);
  const selected = encode(props.model, props.version);
  // Keep a filter from the URL selectable even before (or without) the list naming it.
  const known = [...byModel].some(([m, vs]) => encode(m) === selected || vs.some((v) => encode(m, v.version) === selected));
  return (
    <div className="field">
      <label htmlFor={id}>Model version</label>
      <select
        id={id}
        value={selected}
        onChange={(e) => {
          const [model, version] = JSON.parse(e.target.value) as [string | null, string | null];
          props.onChange(model ?? undefined, version ?? undefined);
        }}
      >
        <option value={encode()}>All models and versions</option>
        {!known && props.model && (
          <option value={selected}>
            {props.model} {props.version ? `v${props.version}` : '(all versions)'}
          </option>
        )}
        {[...byModel].map(([model, versions]) => (
          <optgroup key={model} label={model}>
            <option value={encode(model)}>{model}: all versions</option>
            {[...versions]
              .sort((a, b) => Number(b.version) - Number(a.version))
              .map((v) => (
                <option key={v.version} value={encode(model, v.version)}>
                  {model} v{v.version}
                  {v.aliases.length ? ` (${v.aliases.join(', ')})` : ''}
                </option>
              ))}
          </optgroup>
        ))}
      </select>
    </div>
  );
}
