import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { distinctQuietWav } from '../../scripts/stack/quiet-wav.js';
import { bearerFor, screenshot, signIn, stack, USERS } from './fixtures.js';

const ROOT = join(import.meta.dirname, '..', '..');

test('a mono recording sent as stereo is flagged on the call view, in English and Chinese', async ({ page }) => {
  const admin = await bearerFor(stack().admin);
  const samples = JSON.parse(await readFile(join(ROOT, 'samples/calls.json'), 'utf8')) as { name: string; metadata: Record<string, unknown> }[];
  const metadata = samples.find((c) => c.name === 'en-compliant')?.metadata ?? {};
  const form = new FormData();
  form.set('audio', new Blob([new Uint8Array(distinctQuietWav())], { type: 'audio/wav' }), 'mono.wav');
  form.set('transcript', new Blob([await readFile(join(ROOT, 'samples/audio/en-compliant.transcript.json'))], { type: 'application/json' }), 'transcript.json');
  form.set('metadata', JSON.stringify({ ...metadata, externalId: `browser-mono-${Date.now()}`, channelLayout: 'stereo', customerPhone: '+14155550166' }));
  const uploaded = await fetch(`${stack().baseUrl}/v1/calls`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form });
  const body = (await uploaded.json()) as { id?: string };
  expect(uploaded.status, JSON.stringify(body)).toBe(201);
  await expect
    .poll(async () => ((await (await fetch(`${stack().baseUrl}/v1/calls/${body.id}/status`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { status: string }).status, {
      timeout: 60_000,
      intervals: [500],
    })
    .toBe('completed');

  await signIn(page, USERS.qa);
  await page.goto(`${stack().baseUrl}/calls/${body.id}`);
  await expect(page.getByTestId('audio-warning')).toHaveText(/Sent as stereo, but the recording has one channel/);
  await screenshot(page, 'call-audio-warning');
  await page.getByRole('radiogroup', { name: 'Language' }).getByText('中文').click();
  await expect(page.getByTestId('audio-warning')).toHaveText(/声明为立体声，但录音只有一个声道/);
  await page.getByRole('radiogroup', { name: '语言' }).getByText('English').click();
});
