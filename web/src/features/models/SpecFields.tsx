import { useId, type ReactNode } from 'react';
import { PRESET_LABEL, PRESETS, type SpecForm } from './spec-form';

/** The fields typed as free text (numbers included: they are parsed, and checked, on the way out). */
type TextKey = { [K in keyof SpecForm]: string extends SpecForm[K] ? K : never }[keyof SpecForm];

/** The serving spec as a guided form: what size and layout the model takes, how pixels are scaled, how its output
 * reads. Every field is labelled; the contract's defaults are preselected. */
export function SpecFields(props: { form: SpecForm; onChange: (f: SpecForm) => void }) {
  const id = useId();
  const f = props.form;
  const set = <K extends keyof SpecForm>(key: K, value: SpecForm[K]) => props.onChange({ ...f, [key]: value });
  const labels = f.labels.split('\n').filter((l) => l.trim()).length;

  const text = (key: TextKey, label: string, extra: { type?: string; min?: number; max?: number; step?: string; hint?: string } = {}) => (
    <Field id={`${id}-${key}`} label={label} hint={extra.hint}>
      <input
        id={`${id}-${key}`}
        type={extra.type ?? 'text'}
        inputMode={extra.type === 'number' ? 'decimal' : undefined}
        min={extra.min}
        max={extra.max}
        step={extra.step}
        value={f[key]}
        aria-describedby={extra.hint ? `${id}-${key}-hint` : undefined}
        onChange={(e) => set(key, e.target.value)}
      />
    </Field>
  );
  const choice = <K extends keyof SpecForm>(
    key: K,
    label: string,
    options: ReadonlyArray<readonly [SpecForm[K], string]>,
    hint?: string,
  ) => (
    <Field id={`${id}-${key}`} label={label} hint={hint}>
      <select
        id={`${id}-${key}`}
        value={f[key]}
        aria-describedby={hint ? `${id}-${key}-hint` : undefined}
        onChange={(e) => set(key, e.target.value as SpecForm[K])}
      >
        {options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </Field>
  );

  return (
    <>
      <fieldset>
        <legend>What the model answers</legend>
        <div className="form-grid">
          {choice('task', 'Task', [
            ['classification', 'classification'],
            ['detection', 'detection (boxes)'],
          ], f.task === 'detection' ? 'one [1, N, 4 + labels] output: x1, y1, x2, y2 (0..1), then the scores' : 'one score per label')}
          <Field
            id={`${id}-labels`}
            label="Labels, one per line"
            hint={`${labels} label${labels === 1 ? '' : 's'}, in the model's output order`}
            wide
          >
            <textarea
              id={`${id}-labels`}
              rows={5}
              value={f.labels}
              aria-describedby={`${id}-labels-hint`}
              onChange={(e) => set('labels', e.target.value)}
            />
          </Field>
        </div>
      </fieldset>
      <fieldset>
        <legend>Input image</legend>
        <div className="form-grid">
          {text('width', 'Width (px)', { type: 'number', min: 8, max: 4096, step: '1' })}
          {text('height', 'Height (px)', { type: 'number', min: 8, max: 4096, step: '1' })}
          {choice('layout', 'Layout', [
            ['NCHW', 'NCHW (PyTorch)'],
            ['NHWC', 'NHWC (TensorFlow)'],
          ], f.layout === 'NCHW' ? '[1, 3, H, W]' : '[1, H, W, 3]')}
          {choice('channelOrder', 'Channel order', [
            ['RGB', 'RGB'],
            ['BGR', 'BGR'],
          ])}
          {choice('resize', 'Resize', [
            ['stretch', 'stretch'],
            ['letterbox', 'letterbox (pad)'],
            ['center-crop', 'centre crop'],
          ])}
          {text('inputName', 'Input tensor name (optional)', { hint: 'default: the first input' })}
          {choice(
            'normalization',
            'Normalization',
            [...PRESETS.map((p) => [p, PRESET_LABEL[p]] as const), ['custom', 'custom']],
            'pixel p (0..255) becomes (p × scale − mean) / std',
          )}
          {f.normalization === 'custom' && (
            <>
              {text('scale', 'Scale', { hint: 'e.g. 1/255; pixel × scale, then (− mean) / std' })}
              {text('mean', 'Mean (R, G, B)', { hint: 'three numbers' })}
              {text('std', 'Std (R, G, B)', { hint: 'three positive numbers' })}
            </>
          )}
        </div>
      </fieldset>
      <fieldset>
        <legend>Output</legend>
        <div className="form-grid">
          {choice('activation', 'Output activation', [
            ['softmax', 'softmax (logits)'],
            ['sigmoid', 'sigmoid (multi-label)'],
            ['none', 'none (probabilities)'],
          ])}
          {text('outputName', 'Output tensor name (optional)', { hint: 'default: the first output' })}
          {text('minConfidence', 'Minimum confidence', { type: 'number', min: 0, max: 1, step: '0.01', hint: '0 to 1' })}
          {text('topK', 'Top k', { type: 'number', min: 1, max: 100, step: '1', hint: 'answers at most this many' })}
          {f.task === 'detection' && text('iouThreshold', 'IoU threshold (NMS)', { type: 'number', min: 0.01, max: 1, step: '0.01' })}
        </div>
      </fieldset>
    </>
  );
}

function Field(props: { id: string; label: string; hint?: string; wide?: boolean; children: ReactNode }) {
  return (
    <div className={`field${props.wide ? ' wide' : ''}`}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.hint && (
        <p id={`${props.id}-hint`} className="hint">
          {props.hint}
        </p>
      )}
    </div>
  );
}
