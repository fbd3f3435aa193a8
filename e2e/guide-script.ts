// Turns a Markdown guide into one bash script and checks what it printed, so a guide's commands are run as written.
//
// Conventions (docs/mlops-guide.md says them to its readers too):
// - every ```bash block runs, in order, in one bash process (variables carry over);
// - a `# -> <fragment>` comment line in a bash block is an expectation on what the block printed, in order: a JSON
//   fragment (starting with { or [) must be contained in a JSON document printed from the previous match on (objects:
//   these keys with these values, recursively; arrays: each expected element in some printed element), any other text
//   must be printed after the previous match as is, with `...` standing for anything on one line;
// - a ```json block is the shape of an answer: every field it shows must exist in the answer with the same JSON type
//   (null stands for any type). `json <file>` compares with that file in the working folder; plain `json` with the
//   last JSON document the preceding bash block printed;
// - ```python and ```sh blocks are not run; an sh block must say so in a comment ("not run by the guide's test").

export interface Fence {
  lang: string;
  /** the words after the language on the opening line */
  args: string[];
  code: string;
  /** 1-based line of the opening fence */
  line: number;
}

export const LANGUAGES = ['bash', 'json', 'python', 'sh'] as const;
export const NOT_RUN_NOTE = "not run by the guide's test";

export function parseFences(markdown: string): Fence[] {
  const lines = markdown.split('\n');
  const fences: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const [lang = '', ...args] = open[1]!.trim().split(/\s+/).filter(Boolean);
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !/^```\s*$/.test(lines[j]!)) body.push(lines[j++]!);
    if (j === lines.length) throw new Error(`line ${i + 1}: the code block is never closed`);
    fences.push({ lang, args, code: body.join('\n'), line: i + 1 });
    i = j;
  }
  return fences;
}

export interface Expectation {
  /** 1-based line in the guide */
  line: number;
  source: string;
  json: unknown;
  isJson: boolean;
}

export function expectationsOf(fence: Fence): Expectation[] {
  const out: Expectation[] = [];
  fence.code.split('\n').forEach((text, k) => {
    const m = /^\s*# -> (.+)$/.exec(text);
    if (!m) return;
    const source = m[1]!.trim();
    const line = fence.line + 1 + k;
    if (/^[[{]/.test(source)) {
      try {
        out.push({ line, source, json: JSON.parse(source), isJson: true });
      } catch (err) {
        throw new Error(`line ${line}: the expected JSON does not parse: ${(err as Error).message}`);
      }
    } else {
      out.push({ line, source, json: undefined, isJson: false });
    }
  });
  return out;
}

/** The JSON documents in a command's output, with where each starts and ends; other text is skipped line by line. */
export function jsonDocuments(output: string): Array<{ start: number; end: number; value: unknown }> {
  const docs: Array<{ start: number; end: number; value: unknown }> = [];
  let i = 0;
  while (i < output.length) {
    const c = output[i]!;
    if (c === '{' || c === '[') {
      const end = balancedEnd(output, i);
      if (end !== -1) {
        try {
          docs.push({ start: i, end, value: JSON.parse(output.slice(i, end)) });
          i = end;
          continue;
        } catch {
          // not JSON (e.g. "[3/11] apple/E003.jpg: ..."): skip the line
        }
      }
    }
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const eol = output.indexOf('\n', i);
    i = eol === -1 ? output.length : eol + 1;
  }
  return docs;
}

/** Index after the bracket closing the one at `start`, or -1. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** Whether `actual` contains `expected`: objects key by key, arrays element by element (each in some element), else equal. */
export function contains(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) return Array.isArray(actual) && expected.every((e) => actual.some((a) => contains(a, e)));
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    return Object.entries(expected).every(([k, v]) => k in actual && contains((actual as Record<string, unknown>)[k], v));
  }
  return Object.is(actual, expected);
}

function textPattern(fragment: string): RegExp {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(fragment.split('...').map(escape).join('[^\\n]*?'));
}

/** Checks a block's expectations against its output, in order; answers one problem per unmet expectation. */
export function unmetExpectations(output: string, expectations: readonly Expectation[]): string[] {
  const docs = jsonDocuments(output);
  const problems: string[] = [];
  let cursor = 0;
  for (const e of expectations) {
    if (e.isJson) {
      const doc = docs.find((d) => d.start >= cursor && contains(d.value, e.json));
      if (doc) cursor = doc.start; // the next expectation may describe the same document
      else problems.push(`line ${e.line}: no JSON printed ${cursor ? 'from the previous match on ' : ''}contains ${e.source}`);
    } else {
      const m = textPattern(e.source).exec(output.slice(cursor));
      if (m) cursor += m.index + m[0].length;
      else problems.push(`line ${e.line}: "${e.source}" was not printed${cursor ? ' after the previous match' : ''}`);
    }
  }
  return problems;
}

function jsonType(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** Where `actual` lacks a field of `example` or has it with another type (null in the example accepts any type). */
export function shapeProblems(example: unknown, actual: unknown, at = '$'): string[] {
  if (example === null) return [];
  if (jsonType(example) !== jsonType(actual)) return [`${at}: the guide shows ${jsonType(example)}, the answer has ${jsonType(actual)}`];
  if (Array.isArray(example)) {
    const items = actual as unknown[];
    return example.flatMap((e, i) =>
      items.some((a) => shapeProblems(e, a).length === 0) ? [] : [`${at}[${i}]: no element of the answer has this shape: ${JSON.stringify(e).slice(0, 200)}`],
    );
  }
  if (typeof example === 'object') {
    const a = actual as Record<string, unknown>;
    return Object.entries(example as Record<string, unknown>).flatMap(([k, v]) =>
      k in a ? shapeProblems(v, a[k], `${at}.${k}`) : [`${at}.${k}: not in the answer`],
    );
  }
  return [];
}

/** Every /api/... and /ajax-api/... path the text mentions, shell expansions and placeholders as `{}` segments. */
export function apiPaths(markdown: string): string[] {
  const text = markdown
    .replace(/(?<=\/)\$\([^()]*\)/g, '{}') // a path segment made by $(command)
    .replace(/\$\{[^}]*\}/g, '{}') // ${var...}
    .replace(/\$[A-Za-z_]\w*/g, '{}') // $var
    .replace(/<[A-Za-z_ ]+>/g, '{}'); // <run_id>
  const paths = new Set<string>();
  for (const m of text.matchAll(/(?<![A-Za-z_-])\/(?:ajax-)?api\/[^\s"'`)|,?#]*/g)) {
    paths.add(m[0].replace(/[.:/]+$/, ''));
  }
  return [...paths].sort();
}

/**
 * Whether a mentioned path is a route (OpenAPI template: `{x}` one segment, `{*}` the rest) or the common prefix of
 * routes, whole segments ("/api/2.0/mlflow" for the MLflow group). A `{}` placeholder in the mention matches anything.
 */
export function isServed(path: string, templates: readonly string[]): boolean {
  const segs = path.split('/').slice(1);
  return templates.some((t) => {
    const ts = t.split('/').slice(1);
    for (let i = 0; i < segs.length; i++) {
      const s = segs[i]!;
      const tpl = ts[i];
      if (tpl === undefined) return false;
      if (tpl === '{*}') return true;
      if (s.includes('{}') || /^\{[^}]+\}$/.test(tpl) || /^\{[^}]+\}$/.test(s)) continue;
      if (s !== tpl) return false;
    }
    return true;
  });
}

export const BASE_URL_IN_GUIDE = 'http://127.0.0.1:8000';

/** Marker lines the script prints around each block (with bash's clock), so the output can be split per block. */
const MARKER = /\n@@guide-block (\d+) (start|end) ([\d.,]+)@@\n/g;
const marker = (i: number, what: 'start' | 'end') => `printf '\\n@@guide-block ${i} ${what} %s@@\\n' "$EPOCHREALTIME"`;

/**
 * One bash script running every bash block in order, with the guide's server address replaced. curl gets
 * --fail-with-body, so an HTTP error stops the script (and shows FoodLens's error) while successful output stays the same.
 */
export function buildScript(blocks: readonly Fence[], baseUrl: string): string {
  const parts = [
    'set -euo pipefail',
    'curl() { command curl --show-error --fail-with-body "$@"; }',
    ...blocks.flatMap((b, i) => [marker(i, 'start'), b.code.replaceAll(BASE_URL_IN_GUIDE, baseUrl), marker(i, 'end')]),
  ];
  return `${parts.join('\n')}\n`;
}

export interface BlockRun {
  /** what the block printed (so far, for the block that did not finish) */
  output: string;
  finished: boolean;
  seconds: number | null;
}

/** Each block's output and time, in order, up to the block that did not finish (if any). */
export function splitOutput(stdout: string): BlockRun[] {
  const runs: BlockRun[] = [];
  let open: { from: number; at: number } | null = null;
  for (const m of stdout.matchAll(MARKER)) {
    const i = Number(m[1]);
    const at = Number(m[3]!.replace(',', '.')); // EPOCHREALTIME follows the locale's decimal point
    if (m[2] === 'start' && i === runs.length && open === null) open = { from: m.index + m[0].length, at };
    else if (m[2] === 'end' && open !== null && i === runs.length) {
      runs.push({ output: stdout.slice(open.from, m.index), finished: true, seconds: at - open.at });
      open = null;
    }
  }
  if (open !== null) runs.push({ output: stdout.slice(open.from), finished: false, seconds: null });
  return runs;
}
