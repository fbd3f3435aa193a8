// The serving spec as the guided form edits it (strings where the user types), and the conversions both ways, so the
// "raw JSON" view and the form stay one spec. The contract (packages/contracts/src/model-spec.ts) is the judge.
import { NORMALIZATION_PRESETS, ServingSpec, type ServingSpecInput } from '@foodlens/contracts';

export type Preset = keyof typeof NORMALIZATION_PRESETS;
export const PRESETS = Object.keys(NORMALIZATION_PRESETS) as Preset[];
export const PRESET_LABEL: Record<Preset, string> = {
  unit: 'unit (0..1)',
  symmetric: 'symmetric (-1..1)',
  imagenet: 'ImageNet',
  none: 'none (0..255)',
};

export interface SpecForm {
  task: 'classification' | 'detection';
  /** one label per line */
  labels: string;
  width: string;
  height: string;
  layout: 'NCHW' | 'NHWC';
  channelOrder: 'RGB' | 'BGR';
  resize: 'stretch' | 'letterbox' | 'center-crop';
  inputName: string;
  normalization: Preset | 'custom';
  scale: string;
  mean: string;
  std: string;
  activation: 'softmax' | 'sigmoid' | 'none';
  outputName: string;
  minConfidence: string;
  topK: string;
  iouThreshold: string;
}

/** The contract's defaults, with 224x224 (the most common classifier input). */
export const DEFAULT_SPEC_FORM: SpecForm = {
  task: 'classification',
  labels: '',
  width: '224',
  height: '224',
  layout: 'NCHW',
  channelOrder: 'RGB',
  resize: 'stretch',
  inputName: '',
  normalization: 'unit',
  scale: '1/255',
  mean: '0, 0, 0',
  std: '1, 1, 1',
  activation: 'softmax',
  outputName: '',
  minConfidence: '0.1',
  topK: '5',
  iouThreshold: '0.45',
};

const numbers = (s: string) => s.split(/[\s,]+/).filter(Boolean).map(Number);
const num = (s: string) => (s.trim() === '' ? Number.NaN : Number(s));
/** A number, or a fraction such as 1/255 (how scales are usually written). */
function fraction(s: string): number {
  const m = /^\s*([\d.]+)\s*\/\s*([\d.]+)\s*$/.exec(s);
  return m ? Number(m[1]) / Number(m[2]) : num(s);
}
/** 1/255 and 1/127.5 back as fractions, anything else as the number. */
function scaleText(scale: number): string {
  for (const d of [255, 127.5]) if (Math.abs(scale * d - 1) < 1e-9) return `1/${d}`;
  return String(scale);
}

/** The spec as the user wrote it (before the contract's defaults), for the raw JSON view and the upload. */
export function specFromForm(f: SpecForm): ServingSpecInput {
  const input: ServingSpecInput['input'] = {
    width: num(f.width),
    height: num(f.height),
    layout: f.layout,
    channel_order: f.channelOrder,
    resize: f.resize,
  };
  if (f.inputName.trim()) input.name = f.inputName.trim();
  const output: NonNullable<ServingSpecInput['output']> = { activation: f.activation };
  if (f.outputName.trim()) output.name = f.outputName.trim();
  const spec: ServingSpecInput = {
    task: f.task,
    labels: f.labels.split('\n').map((l) => l.trim()).filter(Boolean),
    input,
    normalization:
      f.normalization === 'custom'
        ? { scale: fraction(f.scale), mean: numbers(f.mean) as [number, number, number], std: numbers(f.std) as [number, number, number] }
        : f.normalization,
    output,
    min_confidence: num(f.minConfidence),
    top_k: num(f.topK),
  };
  if (f.task === 'detection') spec.iou_threshold = num(f.iouThreshold);
  return spec;
}

/** A valid spec (defaults filled in) back into the form. */
export function formFromSpec(s: ServingSpec): SpecForm {
  const n = s.normalization;
  return {
    task: s.task,
    labels: s.labels.join('\n'),
    width: String(s.input.width),
    height: String(s.input.height),
    layout: s.input.layout,
    channelOrder: s.input.channel_order,
    resize: s.input.resize,
    inputName: s.input.name ?? '',
    normalization: typeof n === 'string' ? n : 'custom',
    scale: typeof n === 'string' ? DEFAULT_SPEC_FORM.scale : scaleText(n.scale),
    mean: typeof n === 'string' ? DEFAULT_SPEC_FORM.mean : n.mean.join(', '),
    std: typeof n === 'string' ? DEFAULT_SPEC_FORM.std : n.std.join(', '),
    activation: s.output.activation,
    outputName: s.output.name ?? '',
    minConfidence: String(s.min_confidence),
    topK: String(s.top_k),
    iouThreshold: String(s.iou_threshold),
  };
}

/** The contract's verdict on a spec: the parsed spec, or its problems worded "input.width: ...". */
export function checkSpec(value: unknown): { ok: true; spec: ServingSpec } | { ok: false; problems: string[] } {
  const r = ServingSpec.safeParse(value);
  if (r.success) return { ok: true, spec: r.data };
  return { ok: false, problems: r.error.issues.map((i) => `${i.path.map(String).join('.') || 'spec'}: ${i.message}`) };
}
