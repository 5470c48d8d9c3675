import { ApiError } from '../api.js';

/** A multipart POST with the session cookie and the CSRF token (api() sends JSON only). */
export async function postForm<T>(path: string, form: FormData): Promise<T> {
  const csrf = document.cookie
    .split('; ')
    .find((pair) => pair.startsWith('earshot_csrf='))
    ?.slice('earshot_csrf='.length);
  const response = await fetch(path, { method: 'POST', body: form, credentials: 'same-origin', headers: { accept: 'application/json', ...(csrf ? { 'x-csrf-token': csrf } : {}) } });
  const body = (await response.json().catch(() => ({ message: response.statusText }))) as Record<string, unknown>;
  if (!response.ok) throw new ApiError(response.status, body as ApiError['body']);
  return body as T;
}

/** The API's validation messages one by one ("line 3, column phone: ..."). */
export function errorMessages(error: unknown): string[] {
  if (!(error instanceof ApiError)) return [String((error as Error)?.message ?? error)];
  const message = error.body.message;
  return Array.isArray(message) ? message.map(String) : [String(message ?? error.message)];
}

/** The messages that name a field (body.retentionDays: ..., retentionDays must ...), for showing next to it. */
export function fieldErrors(error: unknown, fields: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const message of errorMessages(error)) {
    const field = fields.find((name) => new RegExp(`(^|[.\\s])${name}\\b`).test(message));
    if (field && !result[field]) result[field] = message;
  }
  return result;
}
