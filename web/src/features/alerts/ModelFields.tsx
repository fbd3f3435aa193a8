import { Field } from './Field';
import type { FieldsProps } from './form-values';
import { useModelNames } from './queries';

/**
 * The rule's model and version: free text (a model may be registered later), suggested from GET
 * /api/v1/mlops/model-versions. Empty means every model / every version.
 */
export function ModelFields({ values, set, errors, id }: FieldsProps) {
  const list = useModelNames();
  const entries = list.data?.model_versions ?? [];
  const models = [...new Set(entries.map((v) => v.name))];
  const versions = entries
    .filter((v) => v.name === values.model.trim())
    .sort((a, b) => Number(b.version) - Number(a.version));
  const listNote = list.isError ? ' (the registered models could not be listed: type the name)' : '';
  return (
    <>
      <Field id={`${id}-model`} label="Model" hint={`Empty: every model.${listNote}`} error={errors.model}>
        {(c) => (
          <>
            <input
              {...c}
              type="text"
              list={`${id}-models`}
              autoComplete="off"
              placeholder="all models"
              value={values.model}
              onChange={(e) => set({ model: e.target.value, ...(e.target.value.trim() === '' ? { version: '' } : {}) })}
            />
            <datalist id={`${id}-models`}>
              {models.map((m) => (
                <option key={m} value={m} />
              ))}
            </datalist>
          </>
        )}
      </Field>
      <Field id={`${id}-version`} label="Version" hint="Empty: every version of the model." error={errors.version}>
        {(c) => (
          <>
            <input
              {...c}
              type="text"
              list={`${id}-versions`}
              autoComplete="off"
              inputMode="numeric"
              placeholder="all versions"
              disabled={values.model.trim() === '' && values.version === ''}
              value={values.version}
              onChange={(e) => set({ version: e.target.value })}
            />
            <datalist id={`${id}-versions`}>
              {versions.map((v) => (
                <option key={v.version} value={v.version} label={v.aliases.length ? `v${v.version} (${v.aliases.join(', ')})` : `v${v.version}`} />
              ))}
            </datalist>
          </>
        )}
      </Field>
    </>
  );
}
