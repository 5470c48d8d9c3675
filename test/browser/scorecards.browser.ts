import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { bearerFor, screenshot as saveScreen, signIn, stack } from './fixtures.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CAMPAIGN = 'scorecard-browser';

/** A full-page screenshot from the top: taken scrolled, the sticky header would be drawn across the page. */
async function screen(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await saveScreen(page, name);
}

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.html.slice(0, 160)).slice(0, 3).join(', ')}`);
}

async function adminFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const token = await bearerFor(stack().admin);
  return fetch(`${stack().baseUrl}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) } });
}

/**
 * The guaranteed-returns sample in a campaign of its own (its audio with one byte changed: a new recording), so the
 * scorecard this test publishes touches no other test's calls. Auto-failed on the built-in scorecard.
 */
async function uploadOwnCall(): Promise<string> {
  const audio = await readFile(join(ROOT, 'samples/audio/en-guaranteed-returns.wav'));
  audio[audio.length - 1] = (audio[audio.length - 1] ?? 0) ^ 1;
  const form = new FormData();
  form.set('audio', new Blob([new Uint8Array(audio)], { type: 'audio/wav' }), 'scorecard.wav');
  form.set('transcript', new Blob([new Uint8Array(await readFile(join(ROOT, 'samples/audio/en-guaranteed-returns.transcript.json')))], { type: 'application/json' }), 't.json');
  form.set(
    'metadata',
    JSON.stringify({
      externalId: 'browser-scorecard-001',
      agentExternalId: 'agent-001',
      groupName: 'Wealth desk A',
      teamName: 'Outbound sales',
      campaignExternalId: CAMPAIGN,
      customerPhone: '+14155550142',
      direction: 'outbound',
      startedAt: '2026-11-22T10:00:00-08:00',
      timeZone: 'America/Los_Angeles',
      disposition: 'connected',
      channelLayout: 'stereo',
      language: 'en',
    }),
  );
  const response = await adminFetch('/v1/calls', { method: 'POST', body: form });
  const body = (await response.json()) as { id?: string };
  if (!body.id) throw new Error(`upload failed: ${response.status} ${JSON.stringify(body)}`);
  return body.id;
}

async function evaluationOf(callId: string): Promise<{ score: number; autoFailed: boolean; scorecardId: string | null; scorecardName: string } | null> {
  const response = await adminFetch(`/v1/evaluation/calls/${callId}`);
  return response.status === 200 ? ((await response.json()) as { score: number; autoFailed: boolean; scorecardId: string | null; scorecardName: string }) : null;
}

test('admin publishes a scorecard version (errors at the field the API names) and sees a call re-scored with it', async ({ page }) => {
  const callId = await uploadOwnCall();
  await expect.poll(async () => (await evaluationOf(callId))?.autoFailed, { timeout: 60_000 }).toBe(true);
  expect((await evaluationOf(callId))?.scorecardId).toBeNull();

  await signIn(page, stack().admin);
  await page.goto(`${stack().baseUrl}/admin/scorecards?campaign=${CAMPAIGN}`);
  const editor = page.getByTestId('scorecard-editor');
  await expect(editor.getByTestId('scorecard-current')).toContainText('built-in financial-telesales-default version 3');
  const row = (id: string) => page.locator(`[data-criterion="${id}"]`);
  await expect(row('no_call_to_opted_out_number').getByRole('checkbox', { name: 'Critical (fails the call)' })).toBeChecked();
  await expect(page.getByTestId('weight-total')).toHaveText('Total weight 100');

  // a negative weight: the API refuses it, and the message shows next to that weight
  await row('no_guaranteed_returns').getByRole('textbox', { name: 'Weight' }).fill('-5');
  await page.getByRole('textbox', { name: 'Scorecard name' }).fill('fund-card');
  await page.getByRole('button', { name: 'Publish new version' }).click();
  await expect(row('no_guaranteed_returns')).toContainText('criteria.0.weight');
  await screen(page, 'admin-scorecard-error-en');

  // promising returns costs points but no longer fails the call
  await row('no_guaranteed_returns').getByRole('textbox', { name: 'Weight' }).fill('12');
  await row('no_guaranteed_returns').getByRole('checkbox', { name: 'Critical (fails the call)' }).uncheck();
  await page.getByRole('button', { name: 'Publish new version' }).click();
  await expect(page.getByTestId('scorecard-published')).toContainText('Published fund-card version 1');
  await expect(editor.getByTestId('scorecard-current')).toContainText('In use: fund-card version 1');
  expect(await seriousViolations(page)).toEqual([]);
  await screen(page, 'admin-scorecards-en');

  await page.getByRole('button', { name: "Re-score this campaign's calls" }).click();
  await expect(page.getByTestId('rescore-queued')).toBeVisible();
  await expect.poll(async () => (await evaluationOf(callId))?.scorecardName, { timeout: 30_000 }).toBe('fund-card');
  const rescored = await evaluationOf(callId);
  expect(rescored?.autoFailed).toBe(false);
  expect(rescored?.score).toBeGreaterThan(0);

  // the call view shows the new score and the scorecard version that gave it
  await page.goto(`${stack().baseUrl}/calls/${callId}`);
  await expect(page.getByTestId('evaluation-score')).toHaveText((rescored?.score ?? -1).toFixed(1));
  await expect(page.getByText(/fund-card/).first()).toBeVisible();

  // Chinese: the editor's labels are translated
  await page.goto(`${stack().baseUrl}/admin/scorecards?campaign=${CAMPAIGN}`);
  await page.getByRole('radiogroup', { name: 'Language' }).getByText('中文').click();
  await expect(page.getByTestId('scorecard-current')).toContainText('使用中：fund-card 第 1 版');
  await expect(page.getByRole('button', { name: '发布新版本' })).toBeVisible();
  await screen(page, 'admin-scorecards-zh');
  await page.getByRole('radiogroup', { name: /Language|语言/ }).getByText('English').click();
});

test('admin edits the thresholds: a bad value is shown at its field, a good one is saved', async ({ page }) => {
  const before = (await (await adminFetch('/v1/thresholds')).json()) as { configured: boolean; thresholds: unknown[] };
  test.info().annotations.push({ type: 'restores', description: 'the thresholds in force before it' });
  await signIn(page, stack().admin);
  await page.goto(`${stack().baseUrl}/admin/thresholds`);
  const table = page.getByTestId('thresholds-table');
  const complaint = table.locator('[data-threshold="complaint_rate"]');
  await expect(complaint.getByRole('textbox', { name: 'Value' })).toHaveValue('0.005');
  await complaint.getByRole('textbox', { name: 'Min. sample' }).fill('-3');
  await page.getByRole('button', { name: 'Save thresholds' }).click();
  await expect(complaint).toContainText('minSample');
  await complaint.getByRole('textbox', { name: 'Min. sample' }).fill('25');
  await page.getByRole('button', { name: 'Save thresholds' }).click();
  await expect(page.getByTestId('thresholds-saved')).toBeVisible();
  const saved = (await (await adminFetch('/v1/thresholds')).json()) as { configured: boolean; thresholds: { id: string; minSample?: number }[] };
  expect(saved.configured).toBe(true);
  expect(saved.thresholds.find((r) => r.id === 'complaint_rate')?.minSample).toBe(25);
  expect(await seriousViolations(page)).toEqual([]);
  await screen(page, 'admin-thresholds-en');
  await page.getByRole('radiogroup', { name: 'Language' }).getByText('中文').click();
  await expect(page.getByRole('button', { name: '保存阈值' })).toBeVisible();
  await screen(page, 'admin-thresholds-zh');
  await page.getByRole('radiogroup', { name: /Language|语言/ }).getByText('English').click();
  // the other files share this stack: put back what was in force
  const restored = await adminFetch('/v1/thresholds', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ thresholds: before.thresholds }) });
  expect(restored.status).toBe(200);
});
