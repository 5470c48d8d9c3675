import { expect, test } from '@playwright/test';
import { bearerFor, screenshot, signIn, stack, USERS } from './fixtures.js';

const rule = (phrases: string[]) => ({
  id: 'ui.moon',
  version: 1,
  family: 'guaranteed_returns',
  severity: 'critical',
  dimension: 'compliance',
  description: 'promises the moon',
  regulation: 'house rule',
  speaker: 'agent',
  match: { phrases },
});

test('a QA lead edits a draft, sees field-named problems, tests it on text, backtests and publishes it with a note', async ({ page }) => {
  const key = `ui-${Date.now()}.en`;
  const token = await bearerFor({ email: USERS.qa.email, password: USERS.qa.password });
  const created = await fetch(`${stack().baseUrl}/v1/rule-packs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ key, pack: { language: 'en', rules: [rule(['to the moon'])] } }),
  });
  expect(created.status).toBe(201);

  await signIn(page, USERS.qa);
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Rules' }).click();
  await expect(page.getByRole('heading', { name: 'Rule packs' })).toBeVisible();
  await page.getByRole('link', { name: new RegExp(key.replace('.', '\\.')) }).click();
  await expect(page.getByRole('heading', { name: key })).toBeVisible();

  const editor = page.getByLabel('Draft (rule pack as JSON)');
  await editor.fill(JSON.stringify({ language: 'en', rules: [rule(['to the moon', ''])] }, null, 2));
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByRole('alert')).toContainText('body.pack.rules.0.match.phrases.1');
  await editor.fill(JSON.stringify({ language: 'en', rules: [rule(['to the moon', 'sky high'])] }, null, 2));
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByRole('status')).toContainText('Draft saved.');

  await page.getByLabel('Test on text').fill('customer: will it go to the moon?\nYour savings will go sky high.\nStraight to the moon.');
  await page.getByRole('button', { name: 'Test', exact: true }).click();
  const results = page.getByTestId('test-results');
  await expect(results.locator('mark')).toHaveText(['sky high', 'to the moon']);

  await expect(page.getByText('Backtest the draft as it stands before publishing.')).toBeVisible();
  await page.getByTestId('backtest').getByLabel('Campaign').fill('fund-q4');
  await page.getByRole('button', { name: 'Backtest the draft' }).click();
  await expect(page.getByTestId('backtest-report')).toContainText(/\d+ calls, \d+ with hits/);
  await expect(page.getByText('Backtest the draft as it stands before publishing.')).toBeHidden();

  await page.getByLabel('Change note').fill('moon and sky-high promises');
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Published version 1.');
  await expect(page.getByRole('cell', { name: 'moon and sky-high promises' })).toBeVisible();
  await screenshot(page, 'rules-published');

  // the campaign runs the shipped packs until it chooses; enabling the new pack keeps them and adds it
  const panel = page.getByTestId('campaign-packs');
  await panel.getByRole('combobox', { name: 'Campaign' }).click();
  await page.getByRole('option', { name: /fund-q4/ }).click();
  await expect(panel.getByText('This campaign has not chosen: it runs the shipped packs.')).toBeVisible();
  await expect(panel.getByLabel('financial-telesales.en')).toBeChecked();
  await panel.getByLabel(key).click();
  await expect(panel.getByLabel(key)).toBeChecked();
  await expect(panel.getByText('This campaign has not chosen: it runs the shipped packs.')).toBeHidden();
  const chosen = (await (await fetch(`${stack().baseUrl}/v1/campaigns/fund-q4/rule-packs`, { headers: { authorization: `Bearer ${token}` } })).json()) as { chosen: string[] };
  expect(chosen.chosen).toEqual(['financial-telesales.en', 'financial-telesales.zh', key]);

  await page.getByRole('radiogroup', { name: 'Language' }).getByText('中文').click();
  await expect(page.getByRole('heading', { name: '规则包', exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: '版本历史' })).toBeVisible();
  await screenshot(page, 'rules-zh');
});
