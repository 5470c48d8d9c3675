import type { ApiErrorView } from '#libs/api-contract';

/** An answer other than 2xx, with the API's own message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorView & Record<string, unknown>,
  ) {
    super(Array.isArray(body.message) ? body.message.join('; ') : body.message || `HTTP ${status}`);
    this.name = 'ApiError';
  }
}

type UnauthorizedListener = () => void;
let onUnauthorized: UnauthorizedListener = () => undefined;

/** Called when a request of a signed-in page answers 401: the session ended (expired, revoked, signed out elsewhere). */
export function setUnauthorizedListener(listener: UnauthorizedListener): void {
  onUnauthorized = listener;
}

function csrfToken(): string | undefined {
  return document.cookie
    .split('; ')
    .find((pair) => pair.startsWith('earshot_csrf='))
    ?.slice('earshot_csrf='.length);
}

/**
 * A call to the API with the session cookie. Writes carry the CSRF token the API set beside the cookie; the
 * browser never holds the session token itself.
 */
export async function api<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal; quiet401?: boolean } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const csrf = csrfToken();
  if (method !== 'GET' && csrf) headers['x-csrf-token'] = csrf;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    signal: init.signal,
  });
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => ({ message: response.statusText }))) as unknown;
  if (!response.ok) {
    if (response.status === 401 && !init.quiet401) onUnauthorized();
    throw new ApiError(response.status, body as ApiErrorView & Record<string, unknown>);
  }
  return body as T;
}

/** A query string from the set values only, so URLs stay short and shareable. */
export function queryString(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
