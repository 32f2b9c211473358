/**
 * Calling Madoguchi's API from the pages (the ledger tab, the add-in's task pane). Runs in
 * the browser; bundled by esbuild. Errors keep the API's code and both languages, so each
 * page can say what went wrong in its own words.
 */

export interface Localized {
  ja: string;
  en: string;
}

/** Why a call failed, as a page shows it. `network`: the server could not be reached. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly localized: Localized | null,
    readonly details: Record<string, unknown> = {},
    readonly requestId: string | null = null,
  ) {
    super(localized?.en ?? code);
    this.name = 'ApiError';
  }

  /** Field errors of a 400 `validation` answer, by field path. */
  get fields(): Record<string, Localized> {
    const fields = this.details.fields;
    return fields && typeof fields === 'object' ? (fields as Record<string, Localized>) : {};
  }
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  /** Answer the raw response (downloads) instead of parsed JSON. */
  raw?: boolean;
  signal?: AbortSignal;
}

/** One call with a bearer token; throws ApiError for anything but 2xx. */
export async function callApi<T>(
  path: string,
  token: string | null,
  opts: CallOptions = {},
  fetchImpl: typeof fetch = fetch,
): Promise<T> {
  let res: Response;
  try {
    res = await fetchImpl(path, {
      method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
      headers: {
        accept: 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'network', null);
  }
  if (res.ok) {
    if (opts.raw) return res as unknown as T;
    return (res.status === 204 ? null : await res.json()) as T;
  }
  const requestId = res.headers.get('x-request-id');
  let body: { error?: { code?: string; message?: Localized; details?: Record<string, unknown> } } =
    {};
  try {
    body = await res.json();
  } catch {
    // Not our error shape (a proxy's page): the status says enough.
  }
  throw new ApiError(
    res.status,
    body.error?.code ?? `http_${res.status}`,
    body.error?.message ?? null,
    body.error?.details ?? {},
    requestId,
  );
}
