import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { signIn, stack, USERS } from './fixtures.js';

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => `${n.target.join(' ')} ${n.failureSummary ?? ''} ${n.html.slice(0, 200)}`).slice(0, 3).join(', ')})`);
}

test('the sign-in page, the queue and the call view have no serious or critical accessibility violations and break no CSP rule', async ({ page }) => {
  // Chromium reports each resource, inline style or script the Content-Security-Policy refuses on the console
  const refused: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
  });
  await page.goto(`${stack().baseUrl}/sign-in`);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await signIn(page, USERS.qa);
  await page.goto(`${stack().baseUrl}/queue?status=all`);
  await expect(page.getByTestId('queue-table')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);

  await page.goto(`${stack().baseUrl}/calls/${stack().calls['en-guaranteed-returns']}`);
  await expect(page.getByTestId('waveform')).toHaveAttribute('data-ready', 'true');
  expect(await seriousViolations(page)).toEqual([]);
  expect(refused).toEqual([]);
});
