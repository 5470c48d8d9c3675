import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { bearerFor, screenshot, signIn, stack, USERS } from './fixtures.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** 2 s of quiet 8 kHz 16-bit mono PCM with a random tail (its own sha256). */
function monoWav(): Uint8Array<ArrayBuffer> {
  const samples = 16_000;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + samples * 2, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8000, 24);
  header.writeUInt32LE(16_000, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(samples * 2, 40);
  const body = Buffer.alloc(samples * 2);
  randomBytes(64).copy(body, body.length - 64);
  return new Uint8Array(Buffer.concat([header, body]));
}

test('a mono recording sent as stereo is flagged on the call view, in English and Chinese', async ({ page }) => {
  const admin = await bearerFor(stack().admin);
  const samples = JSON.parse(await readFile(join(ROOT, 'samples/calls.json'), 'utf8')) as { name: string; metadata: Record<string, unknown> }[];
  const metadata = samples.find((c) => c.name === 'en-compliant')?.metadata ?? {};
  const form = new FormData();
  form.set('audio', new Blob([monoWav()], { type: 'audio/wav' }), 'mono.wav');
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
