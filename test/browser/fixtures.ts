import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, type Page } from '@playwright/test';
import pg from 'pg';

export const STACK_ENV = 'EARSHOT_BROWSER_STACK';
/** the call the review test decides on (see the global setup) */
export const REVIEW_CALL = 'review-call';
export const SCREENS_DIR = join(import.meta.dirname, '..', '..', 'test-results', 'browser', 'screens');

export interface StackInfo {
  baseUrl: string;
  databaseUrl: string;
  admin: { email: string; password: string };
  /** sample name -> call id */
  calls: Record<string, string>;
}

export const USERS = {
  qa: { email: 'qa@earshot.test', displayName: 'Quinn QA', role: 'qa_lead', agent: undefined, password: 'qa lead password 1' },
  agent: { email: 'dana@earshot.test', displayName: 'Dana Lee', role: 'agent', agent: 'agent-001', password: 'agent password 123' },
} as const;

export function stack(): StackInfo {
  const raw = process.env[STACK_ENV];
  if (!raw) throw new Error('the browser stack is not running (global setup did not run)');
  return JSON.parse(raw) as StackInfo;
}

export async function signIn(page: Page, user: { email: string; password: string }): Promise<void> {
  await page.goto(`${stack().baseUrl}/sign-in`);
  await page.getByLabel(/Email|邮箱/).fill(user.email);
  await page.getByLabel(/Password|密码/).fill(user.password);
  await page.getByRole('button', { name: /Sign in|登录/ }).click();
  await expect(page.getByTestId('signed-in-as')).toBeVisible();
}

/** Pages a person looks at: kept for review whether the test passes or not. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENS_DIR, { recursive: true });
  // from the top: a page scrolled down would draw its sticky header across the middle of the full-page picture
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SCREENS_DIR, `${name}.png`), fullPage: true });
}

export async function withDatabase<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: stack().databaseUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A session token for API calls the test makes as another person, beside the browser. */
export async function bearerFor(user: { email: string; password: string }): Promise<string> {
  const response = await fetch(`${stack().baseUrl}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(user) });
  const body = (await response.json()) as { token?: string };
  if (!body.token) throw new Error(`sign-in as ${user.email} failed: ${response.status}`);
  return body.token;
}

export interface ApiCall {
  findings: { id: string; ruleId: string; family: string | null; severity: string; reviewState: string; evidence: { startSeconds?: number; text?: string; segmentIndex?: number } | null }[];
  evaluation: { score: number; autoFailed: boolean } | null;
  transcript: { segments: { start: number; end: number; text: string }[] } | null;
}

export async function readCall(callId: string): Promise<ApiCall> {
  const token = await bearerFor(stack().admin);
  return (await (await fetch(`${stack().baseUrl}/v1/calls/${callId}`, { headers: { authorization: `Bearer ${token}` } })).json()) as ApiCall;
}
