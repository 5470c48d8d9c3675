import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { bearerFor, screenshot, signIn, stack, USERS } from './fixtures.js';

const ROOT = join(import.meta.dirname, '..', '..');

test('a QA lead writes a question for a campaign, sees field-named problems, tests it on text, publishes it, and the next call answers it', async ({ page }) => {
  test.setTimeout(120_000);
  const stamp = Date.now();
  const campaign = `ui-q-${stamp}`;
  const key = `ui_name_${stamp}`;
  const admin = await bearerFor(stack().admin);
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${admin}` };
  expect((await fetch(`${stack().baseUrl}/v1/campaigns/${campaign}`, { method: 'PUT', headers, body: JSON.stringify({ name: 'Questions UI' }) })).status).toBe(201);

  await signIn(page, USERS.qa);
  await page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Questions' }).click();
  await expect(page.getByRole('heading', { name: 'LLM questions' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Campaign' }).click();
  await page.getByRole('option', { name: new RegExp(campaign) }).click();
  // the shipped questions are listed, live
  await expect(page.getByTestId('question-status-llm_risk_explained')).toHaveText('live v1');

  await page.getByLabel('New question key').fill(key);
  await page.getByRole('button', { name: 'New question' }).click();
  await expect(page.getByRole('heading', { name: key })).toBeVisible();

  await page.getByLabel('Question (English)').fill('Did the agent give their full name?');
  await page.getByLabel('Pass when').fill('');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByRole('alert')).toContainText('body.question.criteria.pass');
  await page.getByLabel('Pass when').fill('the agent gives a first and last name');
  await page.getByLabel('Fail when').fill('no name, or a first name only');
  await page.getByLabel('Finding family').fill('agent_identification');
  await page.getByLabel('Finding description').fill('LLM: the agent did not give a full name');
  await page.getByLabel('Scorecard criterion it feeds').fill('identification');
  await page.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByRole('status')).toContainText('Draft saved.');
  await expect(page.getByText('Test the draft as it stands on text before publishing.')).toBeVisible();

  // the test model answers "no" quoting the line that mentions guaranteed returns
  await page.getByLabel('Test on text').fill('agent: Hi, I am Sam. These are guaranteed returns, there is no risk whatsoever, I promise.\ncustomer: Okay.');
  await page.getByRole('button', { name: 'Ask the LLM' }).click();
  const answer = page.getByTestId('test-answer');
  await expect(answer).toContainText('Answer: no');
  await expect(answer).toContainText('quotes verified');
  await expect(answer).toContainText('would raise a finding');
  await expect(answer.locator('mark')).toHaveText(['there is no risk whatsoever, I promise']);
  await expect(page.getByText('Test the draft as it stands on text before publishing.')).toBeHidden();

  await page.getByLabel('Change note').fill('ask for the full name');
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('Published version 1.');
  await expect(page.getByRole('cell', { name: 'ask for the full name' })).toBeVisible();
  await expect(page.getByTestId(`question-status-${key}`)).toHaveText('live v1');
  await expect(page.getByLabel('Asked on this campaign’s calls')).toBeChecked();
  // the campaign has no scorecard of its own with that criterion yet
  await expect(page.getByTestId(`question-criterion-${key}`)).toHaveText('criterion identification is not in the campaign’s scorecard');

  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  await screenshot(page, 'questions-published');

  // the next call of the campaign is asked the published version
  const audio = await readFile(join(ROOT, 'samples/audio/en-guaranteed-returns.wav'));
  audio[audio.length - 1] = (audio[audio.length - 1] ?? 0) ^ 0x5a;
  const samples = JSON.parse(await readFile(join(ROOT, 'samples/calls.json'), 'utf8')) as { name: string; metadata: Record<string, unknown> }[];
  const metadata = samples.find((c) => c.name === 'en-guaranteed-returns')?.metadata ?? {};
  const transcript = JSON.parse(await readFile(join(ROOT, 'samples/audio/en-guaranteed-returns.transcript.json'), 'utf8')) as { segments: { text: string }[] };
  const promise = transcript.segments.find((s) => s.text.includes('guaranteed returns'));
  if (promise) promise.text = `${promise.text} There is no risk whatsoever, I promise.`;
  const form = new FormData();
  form.set('audio', new Blob([new Uint8Array(audio)], { type: 'audio/wav' }), 'q.wav');
  form.set('transcript', new Blob([JSON.stringify(transcript)], { type: 'application/json' }), 'transcript.json');
  form.set('metadata', JSON.stringify({ ...metadata, externalId: `browser-q-${stamp}`, campaignExternalId: campaign, customerPhone: '+14155550177' }));
  const uploaded = await fetch(`${stack().baseUrl}/v1/calls`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
  const body = (await uploaded.json()) as { id?: string };
  expect(uploaded.status, JSON.stringify(body)).toBe(201);
  await expect
    .poll(async () => ((await (await fetch(`${stack().baseUrl}/v1/calls/${body.id}/status`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { status: string }).status, {
      timeout: 60_000,
      intervals: [500],
    })
    .toBe('completed');
  await page.goto(`${stack().baseUrl}/calls/${body.id}`);
  const row = page.getByTestId('llm-checks').getByRole('row', { name: new RegExp(key) });
  await expect(row).toContainText('v1');
  await expect(row).toContainText(/there is no risk whatsoever, I promise/i);
  await screenshot(page, 'questions-call-answered');

  // the editor in Chinese
  await page.goto(`${stack().baseUrl}/questions/${key}?campaign=${campaign}`);
  await page.getByRole('radiogroup', { name: 'Language' }).getByText('中文').click();
  await expect(page.getByRole('heading', { name: '大模型质检问题' })).toBeVisible();
  await expect(page.getByRole('button', { name: '询问大模型' })).toBeVisible();
  await page.getByRole('radiogroup', { name: '语言' }).getByText('English').click();
});
