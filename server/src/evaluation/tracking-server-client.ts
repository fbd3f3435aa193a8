// HTTP to a tracking server (FoodLens, or MLflow's own) as MLflow's clients talk to it: JSON in and out, credentials
// from MLflow's environment variables, and every failure turned into one TrackingServerError naming the call, the
// server and what it said. Error bodies come in two shapes: MLflow's {error_code, message} (the /api/2.0 routes) and
// FoodLens's {error: {code, message}} (anything in front of them, e.g. authentication).

/** MLflow's own choice: a URI with an http(s) scheme names a tracking server; anything else is a store. */
export function isHttpTrackingUri(uri: string): boolean {
  return /^https?:\/\//i.test(uri.trim());
}

export class TrackingServerError extends Error {
  override name = 'TrackingServerError';
  constructor(
    message: string,
    /** e.g. 'POST /api/2.0/mlflow/runs/create' */
    readonly call: string,
    /** the HTTP status; null when no answer came */
    readonly status: number | null = null,
    /** MLflow's error_code or FoodLens's error.code, when the answer had one */
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

/** A tracking URI or credential variables that cannot work (a credential set without its partner is a mistake, not "no authentication"). */
export class TrackingConfigError extends Error {
  override name = 'TrackingConfigError';
}

/**
 * The Authorization header MLflow's client sends (mlflow/utils/rest_utils.py): Basic when MLFLOW_TRACKING_USERNAME and
 * MLFLOW_TRACKING_PASSWORD are both set, otherwise Bearer MLFLOW_TRACKING_TOKEN, otherwise none.
 */
export function authorizationHeader(env: NodeJS.ProcessEnv): string | undefined {
  const user = env.MLFLOW_TRACKING_USERNAME || undefined;
  const password = env.MLFLOW_TRACKING_PASSWORD || undefined;
  if (user !== undefined && password !== undefined) return `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
  if (user !== undefined || password !== undefined) {
    throw new TrackingConfigError(
      `${user !== undefined ? 'MLFLOW_TRACKING_USERNAME' : 'MLFLOW_TRACKING_PASSWORD'} is set without ` +
        `${user !== undefined ? 'MLFLOW_TRACKING_PASSWORD' : 'MLFLOW_TRACKING_USERNAME'}: set both for Basic authentication, or neither`,
    );
  }
  return env.MLFLOW_TRACKING_TOKEN ? `Bearer ${env.MLFLOW_TRACKING_TOKEN}` : undefined;
}

export interface TrackingServerClientOptions {
  /** MLFLOW_TRACKING_TOKEN, MLFLOW_TRACKING_USERNAME, MLFLOW_TRACKING_PASSWORD */
  env?: NodeJS.ProcessEnv;
  /** per request, including artifact uploads (default 5 minutes) */
  timeoutMs?: number;
}

export class TrackingServerClient {
  /** the server's address as given, without a trailing slash (never holds credentials: those are refused) */
  readonly baseUrl: string;
  readonly #authorization: string | undefined;
  readonly #timeoutMs: number;

  constructor(uri: string, opts: TrackingServerClientOptions = {}) {
    let url: URL;
    try {
      url = new URL(uri.trim());
    } catch {
      throw new TrackingConfigError(`invalid tracking server URI ${JSON.stringify(uri)}: expected http(s)://host:port`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TrackingConfigError(`invalid tracking server URI ${JSON.stringify(uri)}: expected http(s)://host:port`);
    }
    // Kept out of URLs so they cannot end up in messages and logs (and fetch refuses them anyway).
    if (url.username || url.password) {
      throw new TrackingConfigError(
        'the tracking server URI holds credentials: put them in MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (or MLFLOW_TRACKING_TOKEN) instead',
      );
    }
    url.search = '';
    url.hash = '';
    this.baseUrl = url.toString().replace(/\/+$/, '');
    this.#authorization = authorizationHeader(opts.env ?? process.env);
    this.#timeoutMs = opts.timeoutMs ?? 5 * 60_000;
  }

  /** GET `path` (e.g. '/api/2.0/mlflow/experiments/get-by-name') with `query`; the answer's JSON object. */
  get(path: string, query: Record<string, string> = {}): Promise<Record<string, unknown>> {
    const qs = new URLSearchParams(query).toString();
    return this.#send('GET', path, qs ? `?${qs}` : '');
  }

  post(path: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    return this.#send('POST', path, '', { body: JSON.stringify(body), contentType: 'application/json' });
  }

  put(path: string, body: Buffer, contentType: string): Promise<Record<string, unknown>> {
    return this.#send('PUT', path, '', { body, contentType });
  }

  async #send(
    method: string,
    path: string,
    search: string,
    payload?: { body: string | Buffer; contentType: string },
  ): Promise<Record<string, unknown>> {
    const call = `${method} ${path}`;
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'foodlens-evaluate' };
    if (payload) headers['content-type'] = payload.contentType;
    if (this.#authorization) headers.authorization = this.#authorization;
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.baseUrl}${path}${search}`, {
        method,
        headers,
        body: payload?.body,
        // A redirect is reported, not followed: following would turn POSTs into GETs and could carry the credentials elsewhere.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      text = await response.text();
    } catch (err) {
      throw new TrackingServerError(`${call}: ${this.#unreachable(err)}`, call);
    }

    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location');
      throw new TrackingServerError(
        `${call} on ${this.baseUrl} answered ${response.status}, a redirect${location ? ` to ${location}` : ''}: ` +
          'set MLFLOW_TRACKING_URI (or --tracking-uri) to the address the server redirects to',
        call,
        response.status,
      );
    }
    const json = parseJson(text);
    if (!response.ok) {
      const { code, message } = errorOf(json, text, response);
      throw new TrackingServerError(
        `${call} on ${this.baseUrl} failed: ${response.status}${code ? ` ${code}` : ''}: ${message}${hint(response.status, code)}`,
        call,
        response.status,
        code,
      );
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new TrackingServerError(
        `${call} on ${this.baseUrl} answered ${response.status} without a JSON object (${describeBody(text, response)}): is it a FoodLens or MLflow tracking server?`,
        call,
        response.status,
      );
    }
    return json as Record<string, unknown>;
  }

  #unreachable(err: unknown): string {
    const e = err as (Error & { cause?: { code?: string; message?: string } }) | null;
    if (e?.name === 'TimeoutError') {
      const ms = this.#timeoutMs;
      return `the tracking server at ${this.baseUrl} did not answer within ${ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`}`;
    }
    // fetch reports every network failure as TypeError('fetch failed') with the socket error as its cause
    const reason = e?.cause?.message ?? e?.message ?? String(err);
    return `could not reach the tracking server at ${this.baseUrl} (${reason})`;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The code and message of an error answer, from either body shape, or what can be said without one. */
function errorOf(json: unknown, text: string, response: Response): { code: string | null; message: string } {
  const body = json as { error_code?: unknown; message?: unknown; error?: { code?: unknown; message?: unknown } } | null | undefined;
  if (body && typeof body === 'object') {
    if (typeof body.error_code === 'string') return { code: body.error_code, message: String(body.message ?? '') };
    if (body.error && typeof body.error === 'object' && typeof body.error.message === 'string') {
      return { code: typeof body.error.code === 'string' ? body.error.code : null, message: body.error.message };
    }
  }
  return { code: null, message: describeBody(text, response) };
}

function describeBody(text: string, response: Response): string {
  const trimmed = text.replace(/\s+/g, ' ').trim();
  if (trimmed === '') return response.statusText || 'empty body';
  return `${response.headers.get('content-type') ?? 'no content type'}: ${trimmed.length > 200 ? `${trimmed.slice(0, 200)}…` : trimmed}`;
}

function hint(status: number, code: string | null): string {
  if (status === 401 || status === 403) return ' (check MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD)';
  if (code === 'ENDPOINT_NOT_FOUND' || (status === 404 && code === null)) return ' (is the URI a FoodLens or MLflow tracking server?)';
  return '';
}
