import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { type ApiCall, bearerFor, readCall, screenshot, signIn, stack, USERS } from './fixtures.js';

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

test('a QA lead adds a missed finding on a call, and the rules page shows each rule’s calibration against reviewers', async ({ page }) => {
  const callId = stack().calls['en-guaranteed-returns'] as string;
  const call = await readCall(callId);
  const finding = (call.findings as (ApiCall['findings'][number] & { ruleVersion: string })[]).find((f) => f.ruleVersion.startsWith('financial-telesales.en@'));
  expect(finding).toBeDefined();
  const ruleId = finding?.ruleId as string;
  // one decision on the rule's finding, so the rule has a precision
  const token = await bearerFor({ email: USERS.qa.email, password: USERS.qa.password });
  const review = await fetch(`${stack().baseUrl}/v1/findings/${finding?.id as string}/review`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ decision: 'confirmed' }),
  });
  expect(review.status).toBe(200);

  await signIn(page, USERS.qa);
  await page.goto(`${stack().baseUrl}/calls/${callId}`);
  const panel = page.getByTestId('missed-findings');
  await expect(panel.getByRole('heading', { name: 'Missed findings' })).toBeVisible();
  await panel.getByRole('button', { name: 'Add missed finding' }).click();
  await panel.getByLabel('Rule or question id').fill(ruleId);
  await panel.getByLabel('What was said').fill('you simply cannot lose with this fund');
  await panel.getByLabel('Note').fill('a paraphrase the phrases miss');
  expect(await seriousViolations(page)).toEqual([]);
  await panel.getByRole('button', { name: 'Save missed finding' }).click();
  await expect(panel.getByRole('status')).toContainText('Missed finding added');
  await expect(panel).toContainText('“you simply cannot lose with this fund” — a paraphrase the phrases miss');
  await expect(panel).toContainText('qa@earshot.test');
  await screenshot(page, 'call-missed-finding');
  // stored and audited through the API, not only shown
  const listed = (await (await fetch(`${stack().baseUrl}/v1/calls/${callId}/missed-findings`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: { ruleId: string }[] };
  expect(listed.items.map((m) => m.ruleId)).toContain(ruleId);

  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Rules' }).click();
  await page.getByRole('link', { name: /^financial-telesales\.en/ }).click();
  const calibration = page.getByTestId('calibration');
  await expect(calibration.getByRole('heading', { name: /Calibration against reviewers/ })).toBeVisible();
  const row = calibration.locator(`tr[data-rule="${ruleId}"]`);
  // a confirmed finding and a missed one: precision and recall both have figures with their counts
  await expect(row.getByRole('cell').nth(2)).toHaveText(/^\d+% \d+\/\d+ \[\d+%–\d+%\]$/);
  await expect(row.getByRole('cell').nth(3)).toHaveText(/^\d+% \d+\/\d+ \[\d+%–\d+%\]$/);
  await expect(calibration.getByText('no reviews yet').first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await row.scrollIntoViewIfNeeded();
  await screenshot(page, 'rules-calibration');

  await page.getByRole('radiogroup', { name: 'Language' }).getByText('中文').click();
  await expect(calibration.getByRole('heading', { name: /与人工复核的一致性/ })).toBeVisible();
});
