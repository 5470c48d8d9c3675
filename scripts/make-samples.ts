// Regenerates samples/audio/*: two-party stereo calls (agent left, customer right) spoken by espeak-ng,
// 8 kHz mu-law WAV, with sidecar transcripts whose times are the real utterance times.
// Needs espeak-ng and sox (Debian). The outputs are committed; run this only to change the samples.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

type Turn = [speaker: 'agent' | 'customer', start: number, text: string];
interface SampleCall {
  name: string;
  language: 'en' | 'zh';
  turns: Turn[];
}

const root = resolve(import.meta.dirname, '..');
const calls = JSON.parse(readFileSync(join(root, 'samples/calls.json'), 'utf8')) as SampleCall[];
const out = join(root, 'samples/audio');
mkdirSync(out, { recursive: true });

for (const call of calls) {
  const work = mkdtempSync(join(tmpdir(), 'earshot-sample-'));
  const voice = call.language === 'zh' ? 'cmn' : 'en-us';
  const segments = [];
  const parts: Record<'agent' | 'customer', string[]> = { agent: [], customer: [] };
  let end = 0;
  for (const [index, [speaker, earliest, text]] of call.turns.entries()) {
    const raw = join(work, `${index}.raw.wav`);
    const placed = join(work, `${index}.wav`);
    execFileSync('espeak-ng', ['-v', voice, '-s', '150', '-w', raw, text]);
    // A turn starts at its scripted time, or just after the previous one ends: the samples have no overlap.
    const start = round(Math.max(earliest, end + 0.4));
    execFileSync('sox', [raw, '-r', '8000', '-c', '1', '-b', '16', placed, 'pad', String(start)]);
    const duration = Number(execFileSync('soxi', ['-D', raw]).toString().trim());
    segments.push({ speaker, start, end: round(start + duration), text });
    parts[speaker].push(placed);
    end = Math.max(end, start + duration);
  }
  const length = String(Math.ceil(end + 1.5));
  const channel = (speaker: 'agent' | 'customer') => {
    const file = join(work, `${speaker}.wav`);
    const inputs = parts[speaker];
    const mixed = inputs.length > 1 ? ['-m', ...inputs] : inputs;
    execFileSync('sox', [...mixed, file, 'pad', '0', length, 'trim', '0', length], { stdio: ['ignore', 'ignore', 'ignore'] });
    return file;
  };
  const wav = join(out, `${call.name}.wav`);
  execFileSync('sox', ['-M', channel('agent'), channel('customer'), '-e', 'u-law', '-r', '8000', wav]);
  writeFileSync(
    join(out, `${call.name}.transcript.json`),
    `${JSON.stringify({ format: 'earshot.transcript.v1', language: call.language, rolesSource: 'channel', segments }, null, 2)}\n`,
  );
  rmSync(work, { recursive: true, force: true });
  console.log(`${call.name}: ${length} s, ${segments.length} segments`);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
