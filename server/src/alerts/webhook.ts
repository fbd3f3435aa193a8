// Webhook delivery primitives for alert notifications: the request body per target format, one POST attempt that
// never throws, and the retry policy. The delivery queue (persistence, scheduling) builds on these.
import type { AlertNotification, WebhookTarget } from '@foodlens/contracts';

export const DEFAULT_RETRY = { baseMs: 2_000, maxMs: 300_000, maxAttempts: 8, timeoutMs: 5_000 } as const;

const SLACK_COLORS = { resolved: '#2eb886', critical: '#d00000', warning: '#f2a600', info: '#888888' } as const;
const LABELS = { firing: 'FIRING', resolved: 'RESOLVED', repeat: 'STILL FIRING', test: 'TEST' } as const;

/** Slack reads &, < and > as markup (<url|text> links), so rule names and summaries must be escaped. */
const slackEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** 4 significant digits: an error rate of 0.052631578 reads as 0.05263. */
const num = (v: number) => String(Number(v.toPrecision(4)));

/**
 * The request body for a target: the notification itself for 'json'; for 'slack' a Slack incoming-webhook body with
 * one attachment coloured by kind and severity.
 */
export function webhookBody(n: AlertNotification, format: 'json' | 'slack'): unknown {
  if (format === 'json') return n;
  const resolved = n.kind === 'resolved' || n.state === 'resolved' || n.state === 'ok';
  const title = slackEscape(`[${LABELS[n.kind]}] ${n.rule.name}`);
  const scope = n.alert.model === null ? 'all models' : `${n.alert.model}${n.alert.version === null ? '' : `/${n.alert.version}`}`;
  const fields = [
    { title: 'Value', value: n.value === null ? 'no data' : num(n.value), short: true },
    { title: 'Threshold', value: slackEscape(`${n.comparator} ${num(n.threshold)}`), short: true },
    { title: 'Model', value: slackEscape(scope), short: true },
    { title: 'Window', value: slackEscape(n.rule.window), short: true },
    ...(n.rule.feature === null ? [] : [{ title: 'Feature', value: slackEscape(n.rule.feature), short: true }]),
  ];
  const ts = Math.floor(Date.parse(n.at) / 1000);
  return {
    text: title,
    attachments: [
      {
        color: resolved ? SLACK_COLORS.resolved : SLACK_COLORS[n.severity],
        title,
        title_link: n.links.alert,
        text: slackEscape(n.summary),
        fields,
        ...(Number.isFinite(ts) ? { ts } : {}),
      },
    ],
  };
}

export interface WebhookResult {
  ok: boolean;
  /** HTTP status; null when no answer came (refused, DNS, timeout before the status line) */
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** Enough for any error page excerpt; a misbehaving receiver must not make us buffer megabytes. */
const MAX_ANSWER_BYTES = 64 * 1024;
const EXCERPT_CHARS = 200;

/** The first MAX_ANSWER_BYTES of the answer; the rest is cancelled so the socket is released, not drained. */
async function readCapped(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < MAX_ANSWER_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // timed out or reset mid-body: the status already tells what happened, keep what arrived
  } finally {
    await reader.cancel().catch(() => {});
  }
  return new TextDecoder().decode(Buffer.concat(chunks).subarray(0, MAX_ANSWER_BYTES));
}

/** fetch wraps network failures in TypeError('fetch failed'); the useful part (ECONNREFUSED, ENOTFOUND) is the cause. */
function describeError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return `timeout after ${timeoutMs} ms`;
  const code = e?.cause?.code;
  const detail = e?.cause?.message ?? e?.message ?? String(err);
  return (code ? `${code} (${detail})` : detail).slice(0, 300);
}

/**
 * POSTs `body` as JSON to the target. Never throws: every failure (no answer, timeout, non-2xx, redirect) comes back
 * as ok:false with a short error for the delivery log.
 */
export async function sendWebhook(
  target: WebhookTarget,
  body: unknown,
  deliveryId: string,
  opts: { timeoutMs?: number } = {},
): Promise<WebhookResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_RETRY.timeoutMs;
  const started = performance.now();
  const done = (statusCode: number | null, error: string | null): WebhookResult => ({
    ok: error === null,
    statusCode,
    error,
    durationMs: Math.round(performance.now() - started),
  });
  try {
    const headers = new Headers({ 'user-agent': 'FoodLens-Alerts/1' });
    for (const [name, value] of Object.entries(target.headers)) headers.set(name, value);
    // Set last: the body is JSON whatever the target says, and the delivery id is what receivers de-duplicate on.
    headers.set('content-type', 'application/json');
    headers.set('x-foodlens-delivery', deliveryId);
    const res = await fetch(target.url, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
      // A redirect could turn the POST into a GET elsewhere, carrying the target's Authorization header with it.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (res.status >= 200 && res.status < 300) {
      await res.body?.cancel().catch(() => {});
      return done(res.status, null);
    }
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel().catch(() => {});
      return done(res.status, `HTTP ${res.status} (redirects are not followed)`);
    }
    const excerpt = (await readCapped(res)).replace(/\s+/g, ' ').trim().slice(0, EXCERPT_CHARS);
    return done(res.status, excerpt ? `HTTP ${res.status}: ${excerpt}` : `HTTP ${res.status}`);
  } catch (err) {
    return done(null, describeError(err, timeoutMs));
  }
}

/**
 * Delay before retry number `attempt` (1 = the first retry, after the first failure): baseMs doubling per attempt,
 * capped at maxMs, then jittered into [delay/2, delay] so that alerts failing together do not retry in lockstep.
 */
export function retryDelayMs(
  attempt: number,
  opts: { baseMs?: number; maxMs?: number; random?: () => number } = {},
): number {
  const { baseMs = DEFAULT_RETRY.baseMs, maxMs = DEFAULT_RETRY.maxMs, random = Math.random } = opts;
  const delay = Math.min(maxMs, baseMs * 2 ** (Math.max(1, attempt) - 1));
  return Math.ceil(delay / 2 + (random() * delay) / 2);
}

/**
 * 4xx other than 408/429 are permanent (bad URL, auth, payload: retrying cannot help), and so are redirects (a
 * configuration problem); 5xx, 408, 429 and no answer at all are worth retrying.
 */
export function isRetryable(r: WebhookResult): boolean {
  if (r.ok) return false;
  const s = r.statusCode;
  return s === null || s >= 500 || s === 408 || s === 429;
}
