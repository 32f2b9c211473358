/** Signing in to a running server in tests. */

/** A token the server itself signs for one of the configured people (local mode only). */
export async function localTokenFor(baseUrl: string, userId: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/local/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId }),
  });
  if (!res.ok)
    throw new Error(`local sign-in for ${userId} failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

/**
 * `fetch` with a bearer token; answers status and parsed JSON (or null). The body is
 * untyped on purpose: tests read whichever fields they assert on.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyJson = any;

export async function callApi(
  baseUrl: string,
  path: string,
  token: string | null,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: AnyJson }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  return { status: res.status, body };
}
