import { expect, test } from '@playwright/test';
import { screenshot, signIn, stack, USERS, withDatabase } from './fixtures.js';

test('signs in with the session cookie and out again', async ({ page, context }) => {
  await signIn(page, USERS.qa);
  await expect(page).toHaveURL(/\/queue$/);
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await expect(nav.getByRole('link', { name: 'Review queue' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Calls' })).toBeVisible();

  const cookies = await context.cookies();
  const session = cookies.find((cookie) => cookie.name === 'earshot_session');
  expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
  expect(session?.value).toMatch(/^ess_/);
  // the token is nowhere a script can read it
  const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }) + document.cookie);
  expect(stored).not.toContain(session?.value);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in\?signedOut=1/);
  await expect(page.getByRole('status')).toContainText('You have signed out');
  expect((await context.cookies()).find((cookie) => cookie.name === 'earshot_session')).toBeUndefined();
  // the session is over on the server too: the queue sends us back to sign in
  await page.goto(`${stack().baseUrl}/queue`);
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fqueue/);
});

test('a wrong password is refused with a message, on the sign-in page', async ({ page }) => {
  await page.goto(`${stack().baseUrl}/sign-in`);
  await page.getByLabel('Email').fill(USERS.qa.email);
  await page.getByRole('textbox', { name: 'Password' }).fill('not the password at all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toHaveText('Wrong email or password, or the user is disabled.');
  await expect(page).toHaveURL(/\/sign-in$/);
  await screenshot(page, 'sign-in-wrong-password');
});

test('a write authenticated by the cookie needs the CSRF token', async ({ page }) => {
  await signIn(page, USERS.qa);
  const statuses = await page.evaluate(async () => {
    const body = JSON.stringify({ currentPassword: 'x', newPassword: 'short' });
    const csrf = document.cookie.split('; ').find((pair) => pair.startsWith('earshot_csrf='))?.split('=')[1] ?? '';
    const without = await fetch('/v1/auth/password', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const forged = await fetch('/v1/auth/password', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': 'forged' }, body });
    const withToken = await fetch('/v1/auth/password', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': csrf }, body });
    return [without.status, forged.status, withToken.status];
  });
  // with the token the request reaches validation (the new password is too short)
  expect(statuses).toEqual([403, 403, 400]);
});

test('an expired session returns to the sign-in page with a message', async ({ page }) => {
  await signIn(page, USERS.qa);
  await expect(page.getByTestId('queue-table')).toBeVisible();
  await withDatabase((db) =>
    db.query(`UPDATE "Session" SET "expiresAt" = now() - interval '1 second' WHERE "userId" = (SELECT "id" FROM "User" WHERE "email" = $1)`, [USERS.qa.email]),
  );
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Calls' }).click();
  await expect(page).toHaveURL(/\/sign-in\?expired=1/);
  await expect(page.getByRole('status')).toHaveText('Your session has ended. Sign in again to continue.');
  await screenshot(page, 'sign-in-expired');
  // signing in again returns to where the session ended
  await page.getByLabel('Email').fill(USERS.qa.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(USERS.qa.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/calls$/);
});

test('an agent sees no review queue, and its URL shows the API refusing', async ({ page }) => {
  await signIn(page, USERS.agent);
  await expect(page).toHaveURL(/\/calls$/);
  const nav = page.getByRole('navigation', { name: 'Main navigation' });
  await expect(nav.getByRole('link', { name: 'Calls' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Review queue' })).toHaveCount(0);
  // the agent's list holds their own calls only
  await expect(page.getByTestId('calls-table').locator('tbody tr')).toHaveCount(1);
  await expect(page.getByTestId('calls-table')).toContainText('demo-en-001');

  await page.goto(`${stack().baseUrl}/queue`);
  await expect(page.getByTestId('forbidden')).toContainText('role agent may not call GET /v1/findings');
  await screenshot(page, 'agent-forbidden-queue');
});
