import { expect, test } from '@playwright/test';
import { readCall, screenshot, signIn, stack, USERS } from './fixtures.js';

test('switching to Chinese translates the console, is remembered, and highlights Chinese evidence whole', async ({ page }) => {
  await signIn(page, USERS.qa);
  await page.getByRole('radiogroup', { name: 'Language' }).getByText('中文').click();
  const nav = page.getByRole('navigation', { name: '主导航' });
  await expect(nav.getByRole('link', { name: '复核队列' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '复核队列' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await page.reload();
  await expect(page.getByRole('button', { name: '退出登录' })).toBeVisible();
  await screenshot(page, 'queue-zh');

  const callId = stack().calls['zh-baoben'] as string;
  const call = await readCall(callId);
  const quotes = call.findings.filter((f) => f.reviewState !== 'dismissed' && f.evidence?.text && f.evidence.segmentIndex !== undefined);
  expect(quotes.length).toBeGreaterThan(1);
  await page.goto(`${stack().baseUrl}/calls/${callId}`);
  await expect(page.getByRole('heading', { name: '转写文本' })).toBeVisible();
  await expect(page.getByTestId('metadata')).toContainText('2026年11月');
  for (const finding of quotes) {
    const turn = page.locator(`.turn[data-index="${finding.evidence?.segmentIndex}"]`);
    await expect(turn.locator('mark.evidence', { hasText: finding.evidence?.text as string })).toBeVisible();
  }
  // highlighting splits no character: each turn reads exactly as the transcript says, with no replacement characters
  for (const [index, segment] of (call.transcript?.segments ?? []).entries()) {
    const text = await page.locator(`.turn[data-index="${index}"] p`).innerText();
    expect(text).toBe(segment.text);
    expect(text).not.toContain('\uFFFD');
  }
  await screenshot(page, 'call-zh');
});
