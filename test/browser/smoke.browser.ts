import { expect, test } from '@playwright/test';
import { screenshot, signIn, stack } from './fixtures.js';

test('smoke', async ({ page }) => {
  await signIn(page, stack().admin);
  await expect(page).toHaveURL(/\/queue/);
  await expect(page.getByTestId('queue-table')).toBeVisible();
  await screenshot(page, 'smoke-queue');
  await page.getByTestId('queue-table').locator('tbody tr').first().dblclick();
  await expect(page.getByTestId('waveform')).toHaveAttribute('data-ready', 'true');
  await screenshot(page, 'smoke-call');
});
