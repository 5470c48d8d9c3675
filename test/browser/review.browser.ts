import { expect, type Page, test } from '@playwright/test';
import { bearerFor, readCall, REVIEW_CALL, screenshot, signIn, stack, USERS } from './fixtures.js';

const rows = (page: Page) => page.getByTestId('queue-table').locator('tbody tr');

test('the queue filters by severity and campaign, counts, pages with a cursor, and keeps it all in the URL', async ({ page }) => {
  await signIn(page, USERS.qa);
  await page.goto(`${stack().baseUrl}/queue?severity=critical&limit=2`);
  await expect(rows(page)).toHaveCount(2);
  await expect(page.getByTestId('queue-counts')).toContainText('Critical');
  const total = Number((await page.getByTestId('count-critical').textContent())?.replace(/\D/g, ''));
  expect(total).toBeGreaterThan(4);
  for (const row of await rows(page).all()) await expect(row).toContainText('Critical');
  const firstPage = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-finding-id')));

  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(page).toHaveURL(/cursor=/);
  await expect(page.getByTestId('page-number')).toHaveText('Page 2');
  await expect(rows(page).first()).not.toHaveAttribute('data-finding-id', firstPage[0] as string);
  const secondPage = await rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-finding-id')));
  expect(secondPage.filter((id) => firstPage.includes(id))).toEqual([]);

  // the URL is the view: a reload (or a shared link) shows the same page with the same filters
  await page.reload();
  await expect(page.getByTestId('page-number')).toHaveText('Page 2');
  await expect(rows(page).first()).toHaveAttribute('data-finding-id', secondPage[0] as string);
  await expect(page.getByRole('combobox', { name: 'Severity' })).toHaveValue('Critical');

  await page.getByRole('button', { name: 'Previous page' }).click();
  await expect(page.getByTestId('page-number')).toHaveText('Page 1');
  await expect(rows(page).first()).toHaveAttribute('data-finding-id', firstPage[0] as string);

  // a text filter applies on Enter and starts again from the first page
  await page.getByLabel('Agent', { exact: true }).fill('agent-101');
  await page.getByLabel('Agent', { exact: true }).press('Enter');
  await expect(page).toHaveURL(/agent=agent-101/);
  await expect(page).not.toHaveURL(/cursor=/);
  await expect(rows(page).first()).toContainText('demo-zh-001');
  for (const row of await rows(page).all()) await expect(row).toContainText('agent-101');
  await screenshot(page, 'queue-filtered');
});

test('opening a call from the queue: the audio plays and the highlighted turn follows it', async ({ page }) => {
  await signIn(page, USERS.qa);
  await page.goto(`${stack().baseUrl}/queue?campaign=fund-q4&agent=agent-001`);
  await rows(page).first().getByRole('button', { name: 'demo-en-001' }).click();
  await expect(page).toHaveURL(/\/calls\/[0-9a-f-]+\?finding=/);
  await expect(page.getByTestId('waveform')).toHaveAttribute('data-ready', 'true');
  await expect(page.locator('.turn[data-current="true"]')).toHaveAttribute('data-index', '0');

  await page.getByTestId('play').click();
  await expect(page.getByTestId('play')).toHaveText('Pause');
  // the sample's third turn starts at 7 s: playback moves the highlight there by itself
  await expect.poll(async () => Number(await page.getByTestId('current-time').getAttribute('data-seconds')), { timeout: 20_000 }).toBeGreaterThan(7.5);
  const current = Number(await page.locator('.turn[data-current="true"]').getAttribute('data-index'));
  expect(current).toBeGreaterThanOrEqual(2);
  await page.getByTestId('play').click();
  await expect(page.getByTestId('play')).toHaveText('Play');
  await screenshot(page, 'call-playing');

  // clicking a turn seeks to its start
  await page.locator('.turn[data-index="5"]').click();
  await expect.poll(async () => Number(await page.getByTestId('current-time').getAttribute('data-seconds'))).toBeCloseTo(22, 0);
  await expect(page.locator('.turn[data-current="true"]')).toHaveAttribute('data-index', '5');

  // arrow keys skip five seconds back and forward; the speed is chosen beside the clock
  await page.keyboard.press('ArrowLeft');
  await expect.poll(async () => Number(await page.getByTestId('current-time').getAttribute('data-seconds'))).toBeCloseTo(17, 0);
  await page.keyboard.press('ArrowRight');
  await expect.poll(async () => Number(await page.getByTestId('current-time').getAttribute('data-seconds'))).toBeCloseTo(22, 0);
  await page.getByRole('radiogroup', { name: 'Playback speed' }).getByText('1.5×').click();
  await expect(page.getByTestId('speed')).toHaveAttribute('data-rate', '1.5');
});

test("a finding's jump button seeks the player to its evidence, which is highlighted in the transcript", async ({ page }) => {
  const callId = stack().calls['en-guaranteed-returns'] as string;
  const call = await readCall(callId);
  const finding = call.findings.find((f) => f.evidence?.text === 'cannot lose money');
  expect(finding?.evidence?.startSeconds).toBeDefined();
  await signIn(page, USERS.qa);
  await page.goto(`${stack().baseUrl}/calls/${callId}`);
  await expect(page.getByTestId('waveform')).toHaveAttribute('data-ready', 'true');
  const card = page.locator(`[data-finding-id="${finding?.id}"]`);
  await card.getByTestId('jump').click();
  await expect
    .poll(async () => Number(await page.getByTestId('current-time').getAttribute('data-seconds')))
    .toBeCloseTo(finding?.evidence?.startSeconds ?? -1, 1);
  const turn = page.locator('.turn[data-current="true"]');
  await expect(turn).toHaveAttribute('data-index', String(finding?.evidence?.segmentIndex));
  await expect(turn.locator('mark.evidence', { hasText: 'cannot lose money' })).toBeVisible();
  await expect(card).toHaveAttribute('data-focused', 'true');
});

test("the LLM's answers show whether their quotes were found in the transcript", async ({ page }) => {
  await signIn(page, USERS.qa);
  await page.goto(`${stack().baseUrl}/calls/${stack().calls['en-guaranteed-returns']}`);
  const panel = page.getByTestId('llm-checks');
  const returns = panel.getByRole('row', { name: /llm_returns_promised/ });
  await expect(returns).toContainText('Yes');
  await expect(returns).toContainText('Quote verified');
  await expect(returns).toContainText('guaranteed returns of twelve percent');
  await expect(panel.getByRole('row', { name: /llm_risk_explained/ })).toContainText('Quote not in the transcript: answer discarded');
});

test('confirm, and dismiss with a required reason: dismissing the critical findings lifts the auto-fail and the score follows without a reload', async ({ page }) => {
  const callId = stack().calls[REVIEW_CALL] as string;
  const before = await readCall(callId);
  const critical = before.findings.filter((f) => f.severity === 'critical');
  const other = before.findings.find((f) => f.severity !== 'critical');
  expect(critical.length).toBeGreaterThan(0);
  expect(other).toBeDefined();
  expect(before.evaluation?.autoFailed).toBe(true);

  await signIn(page, USERS.qa);
  await page.goto(`${stack().baseUrl}/calls/${callId}`);
  await expect(page.getByTestId('call-score')).toHaveAttribute('data-score', String(before.evaluation?.score));

  // confirm a non-critical finding
  const otherCard = page.locator(`[data-finding-id="${other?.id}"]`);
  await otherCard.click();
  await otherCard.getByTestId('confirm').click();
  await expect(otherCard.getByTestId('review-state')).toHaveText('Confirmed');

  for (const finding of critical) {
    const card = page.locator(`[data-finding-id="${finding.id}"]`);
    await card.click();
    await card.getByTestId('dismiss').click();
    const dialog = page.getByRole('dialog', { name: 'Dismiss finding' });
    // no reason, no dismissal
    await dialog.getByRole('button', { name: 'Dismiss' }).click();
    await expect(dialog).toContainText('A reason is required to dismiss a finding.');
    await dialog.getByLabel('Reason').fill('Quoting the brochure, not a promise');
    await dialog.getByRole('button', { name: 'Dismiss' }).click();
    await expect(dialog).toBeHidden();
    await expect(card.getByTestId('review-state')).toHaveText('Dismissed');
  }
  // the API re-scores in the background; the page picks the new score up by itself
  await expect(page.getByTestId('call-score')).not.toContainText('Auto-failed', { timeout: 20_000 });
  const score = Number(await page.getByTestId('call-score').getAttribute('data-score'));
  expect(score).toBeGreaterThan(before.evaluation?.score ?? 0);
  const after = await readCall(callId);
  expect(after.evaluation).toMatchObject({ autoFailed: false, score });

  // every decision is in the finding's history
  const lastCard = page.locator(`[data-finding-id="${critical.at(-1)?.id}"]`);
  await lastCard.getByRole('button', { name: 'History' }).click();
  await expect(lastCard.getByTestId('history')).toContainText('Dismissed by user:qa@earshot.test: Quoting the brochure, not a promise');
  await screenshot(page, 'call-reviewed');
});

test('when someone else decided first, the reviewer sees their decision and nothing is overwritten', async ({ page }) => {
  const callId = stack().calls['zh-baoben'] as string;
  const call = await readCall(callId);
  const finding = call.findings.find((f) => f.reviewState === 'pending' && f.severity === 'major');
  expect(finding).toBeDefined();
  await signIn(page, USERS.qa);
  await page.goto(`${stack().baseUrl}/calls/${callId}?finding=${finding?.id}`);
  const card = page.locator(`[data-finding-id="${finding?.id}"]`);
  await expect(card.getByTestId('review-state')).toHaveText('Pending');

  // the admin confirms it through the API while the page still shows it pending
  const token = await bearerFor(stack().admin);
  const response = await fetch(`${stack().baseUrl}/v1/findings/${finding?.id}/review`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ decision: 'confirmed' }),
  });
  expect(response.status).toBe(200);

  await card.getByTestId('dismiss').click();
  const dialog = page.getByRole('dialog', { name: 'Dismiss finding' });
  await dialog.getByLabel('Reason').fill('Looks fine to me');
  await dialog.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByTestId('notice')).toContainText('Someone decided first: Confirmed by user:admin@earshot.test. Nothing was changed.');
  await expect(card.getByTestId('review-state')).toHaveText('Confirmed');
  expect((await readCall(callId)).findings.find((f) => f.id === finding?.id)?.reviewState).toBe('confirmed');
});

test('keyboard: j and k move through the queue, ? lists the shortcuts, Enter opens, c confirms', async ({ page }) => {
  await signIn(page, USERS.qa);
  await page.goto(`${stack().baseUrl}/queue?campaign=fund-q4&agent=agent-001`);
  await expect(rows(page).first()).toHaveAttribute('data-selected', 'true');
  await page.keyboard.press('j');
  await expect(rows(page).nth(1)).toHaveAttribute('data-selected', 'true');
  await page.keyboard.press('k');
  await expect(rows(page).first()).toHaveAttribute('data-selected', 'true');

  await page.keyboard.press('Shift+?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toContainText('Dismiss the finding (asks for a reason)');
  await page.keyboard.press('Escape');
  await expect(help).toBeHidden();

  await page.keyboard.press('j');
  const selected = await rows(page).nth(1).getAttribute('data-finding-id');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`finding=${selected}`));
  const card = page.locator(`[data-finding-id="${selected}"]`);
  await expect(card).toHaveAttribute('data-focused', 'true');
  await page.keyboard.press('c');
  await expect(card.getByTestId('review-state')).toHaveText('Confirmed');
  // j steps to the next finding of the queue page the call was opened from
  await page.keyboard.press('j');
  await expect(page).not.toHaveURL(new RegExp(`finding=${selected}`));
});

test('assigns a finding to me, and to someone else, from the queue', async ({ page }) => {
  await signIn(page, USERS.qa);
  await page.goto(`${stack().baseUrl}/queue?campaign=licai-2026&severity=major`);
  const row = rows(page).first();
  const findingId = await row.getAttribute('data-finding-id');
  await row.getByRole('button', { name: 'Assign to me' }).click();
  await expect(page.locator(`tr[data-finding-id="${findingId}"]`)).toContainText(USERS.qa.email);
  await page.locator(`tr[data-finding-id="${findingId}"]`).getByRole('button', { name: 'Assign to…' }).click();
  await page.getByRole('textbox', { name: 'Reviewer (email)' }).fill('lee@earshot.test');
  await page.getByRole('button', { name: 'Assign', exact: true }).click();
  await expect(page.locator(`tr[data-finding-id="${findingId}"]`)).toContainText('lee@earshot.test');
  const history = await (await fetch(`${stack().baseUrl}/v1/findings/${findingId}/reviews`, { headers: { authorization: `Bearer ${await bearerFor(stack().admin)}` } })).json();
  expect((history as { items: { action: string; reviewer: string }[] }).items.filter((i) => i.action === 'assigned').map((i) => i.reviewer)).toEqual([USERS.qa.email, 'lee@earshot.test']);
});

test('the calls list searches and filters, newest first', async ({ page }) => {
  await signIn(page, USERS.qa);
  await page.goto(`${stack().baseUrl}/calls`);
  const table = page.getByTestId('calls-table');
  // other tests upload calls of their own to the shared stack: these assertions count the stack's five
  const stackRows = async () => (await table.locator('tbody tr').allInnerTexts()).filter((row) => /demo-(en|zh)-00[12]|browser-review-001/.test(row));
  await expect.poll(async () => (await stackRows()).length).toBe(5);
  // newest first: the review call was uploaded after the samples
  expect((await stackRows())[0]).toContain('browser-review-001');
  await page.goto(`${stack().baseUrl}/calls?hasCritical=true&campaign=licai-2026`);
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await expect(table).toContainText('demo-zh-001');
  await page.goto(`${stack().baseUrl}/calls`);
  await page.getByLabel('Search (call id or phone)').fill('demo-en');
  await page.getByLabel('Search (call id or phone)').press('Enter');
  await expect(table.locator('tbody tr')).toHaveCount(2);
  await page.goto(`${stack().baseUrl}/calls?maxScore=50`);
  // the two auto-failed sample calls score 0; the compliant ones and the reviewed call score above 50
  await expect(table.locator('tbody tr').first()).toBeVisible();
  await expect.poll(async () => (await stackRows()).length).toBe(2);
  for (const row of await table.locator('tbody tr').all()) expect(Number(await row.locator('td').nth(6).innerText().then((t) => t.replace(/[^\d.]/g, '')))).toBeLessThanOrEqual(50);
  await screenshot(page, 'calls-list');
});
