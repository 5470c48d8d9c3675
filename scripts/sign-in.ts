import { randomBytes } from 'node:crypto';

/** For scripts that boot their own API (demo, benches): the first admin they configure, and signing in as it. */
export function firstAdminEnv(email: string): { ADMIN_EMAIL: string; ADMIN_PASSWORD: string } {
  return { ADMIN_EMAIL: email, ADMIN_PASSWORD: randomBytes(18).toString('base64url') };
}

/** Signs in and returns the Authorization header value. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  const body = (await response.json()) as { token?: string; message?: unknown };
  if (!response.ok || !body.token) throw new Error(`sign-in as ${email} failed: ${response.status} ${JSON.stringify(body.message)}`);
  return `Bearer ${body.token}`;
}
