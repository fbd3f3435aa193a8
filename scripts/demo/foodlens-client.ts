// The few FoodLens HTTP calls the demo makes, over fetch: JSON in and out, a photo upload, and errors that name the
// call and carry the server's own message.
export class FoodLensError extends Error {
  override name = 'FoodLensError';
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

export interface ClientOptions {
  /** the server, e.g. http://127.0.0.1:8000 */
  url: string;
  /** sent as `Authorization: Bearer` when the server requires a token */
  token?: string | null;
}

export class FoodLensClient {
  readonly url: string;
  readonly #token: string | null;
  /** POST /api/v1/predict calls made, answered or refused (each is one logged prediction) */
  predictCalls = 0;

  constructor(opts: ClientOptions) {
    this.url = opts.url.replace(/\/+$/, '');
    this.#token = opts.token ?? null;
  }

  get<T>(path: string): Promise<T> {
    return this.#call<T>('GET', path);
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.#call<T>('POST', path, body);
  }

  put<T>(path: string, body: unknown): Promise<T> {
    return this.#call<T>('PUT', path, body);
  }

  /** POST /api/v1/predict with a raw image body; with `expect`, that status (e.g. a 415) is the success. */
  async predict<T>(image: Buffer, opts: { userId: string; contentType?: string; expect?: number }): Promise<T> {
    this.predictCalls++;
    return this.#call<T>('POST', '/api/v1/predict', image, {
      'content-type': opts.contentType ?? 'image/jpeg',
      'x-user-id': opts.userId,
    }, opts.expect);
  }

  /** `expect`: the one status that counts as success (default: any 2xx) */
  async #call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, expect?: number): Promise<T> {
    const raw = Buffer.isBuffer(body);
    const init: RequestInit = {
      method,
      headers: {
        ...(body !== undefined && !raw ? { 'content-type': 'application/json' } : {}),
        ...(this.#token ? { authorization: `Bearer ${this.#token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : raw ? new Uint8Array(body) : JSON.stringify(body),
    };
    let res: Response;
    try {
      res = await fetch(`${this.url}${path}`, init);
    } catch (err) {
      const cause = (err as { cause?: { code?: string } }).cause?.code;
      throw new FoodLensError(`${method} ${path}: cannot reach FoodLens at ${this.url}${cause ? ` (${cause})` : ''}; is it running (npm start)?`, null);
    }
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: reported below with the status
    }
    if (expect === undefined ? !res.ok : res.status !== expect) {
      const e = json as { error?: { message?: string }; message?: string } | null;
      const message = e?.error?.message ?? e?.message ?? text.slice(0, 200);
      const hint = res.status === 401 ? ' (set FOODLENS_TOKEN to a token of the server)' : '';
      throw new FoodLensError(`${method} ${path}: ${res.status} ${message}${hint}`, res.status);
    }
    return json as T;
  }
}
