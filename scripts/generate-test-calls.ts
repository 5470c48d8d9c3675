/**
 * Synthesises the audio accuracy set: two-party calls spoken by espeak-ng (agent on the left channel, customer on
 * the right), with known turn times, one barge-in overlap and long silences, as 8 kHz stereo WAV plus mu-law, MP3,
 * mono and 'realistic' (line noise + delayed, attenuated echo of each party on the other channel) variants, each
 * call with a ground-truth JSON and a role-labelled transcript for the mono path.
 *
 * Usage: npx tsx scripts/generate-test-calls.ts <out-dir>   (or node dist/scripts/generate-test-calls.js <out-dir>)
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { NormalisedTranscript, Speaker } from '#libs/domain';

const run = promisify(execFile);
const RATE = 8000;

export type CallVariant = 'stereo' | 'stereo-mulaw' | 'stereo-mp3' | 'mono' | 'realistic' | 'realistic-mulaw' | 'realistic-mp3';
export const CALL_VARIANTS: readonly CallVariant[] = ['stereo', 'stereo-mulaw', 'stereo-mp3', 'mono', 'realistic', 'realistic-mulaw', 'realistic-mp3'];

export interface TurnSpec {
  speaker: 'agent' | 'customer';
  text: string;
  /** seconds after the previous turn ends; negative starts inside it (a barge-in) */
  after: number;
}

export interface CallSpec {
  name: string;
  turns: TurnSpec[];
  /** silence after the last turn before the line drops */
  tailSeconds: number;
  /** cut the call at this length (turns past it are cut or dropped) */
  maxSeconds?: number;
}

export interface TruthTurn {
  speaker: 'agent' | 'customer';
  start: number;
  end: number;
  text: string;
}

export interface CallTruth {
  name: string;
  durationSeconds: number;
  connected: true;
  channelLayout: 'agent-left';
  turns: TruthTurn[];
  /** the one barge-in: who interrupted and the overlap span */
  overlap: { by: 'agent' | 'customer'; start: number; end: number } | null;
  /** silences longer than 5 s between turns */
  longSilences: number;
  earlyHangUp: boolean;
  effectiveCall: boolean;
}

export interface GeneratedCall {
  truth: CallTruth;
  truthPath: string;
  transcriptPath: string;
  files: Record<CallVariant, string>;
}

const A = (text: string, after = 0.6): TurnSpec => ({ speaker: 'agent', text, after });
const C = (text: string, after = 0.6): TurnSpec => ({ speaker: 'customer', text, after });

/** A connected sales call of a little over two minutes: an effective call, not an early hang-up. */
export const LONG_CALL: CallSpec = {
  name: 'long',
  tailSeconds: 1.5,
  turns: [
    A('Good morning, this is Anna from Northwind Savings. Am I speaking with Mister Peters?', 1.0),
    C('Yes, speaking. What is this about?'),
    A('I am calling about the savings account you opened with us last year. This call is recorded for quality purposes.', 0.5),
    C('Alright, go on. I have a few minutes before my next meeting, so please keep it short.', 0.7),
    A('Of course. We have a new fixed rate plan that pays a higher interest rate than your current account.', 0.5),
    C('How much higher are we talking about? My current rate is not very good, to be honest.', 0.8),
    A('The fixed plan pays three point two percent per year for two years.', 0.6),
    C('Let me find my last statement so I can compare the numbers properly.', 0.5),
    C('Okay, I have it here. My current rate is one point five percent. That is quite a difference.', 6.5),
    A('It is. There is a minimum deposit of one thousand pounds, and the money stays in the plan for the full two years, so you cannot withdraw it early.', 0.7),
    C('Wait, wait, what happens if I need the money before then?', -1.8),
    A('Good question. An early withdrawal is possible, but you would lose the interest for that year.', 0.6),
    C('Hmm. I need to think about it and talk to my wife first.', 0.9),
    A('That is completely understandable. Shall I send you the details by email?', 0.6),
    C('Yes, please. Use the address you have on file.', 8.0),
    A('Done. You should receive it within the hour. Is there anything else I can help with today?', 0.6),
    C('Actually, one more thing. Can I open the plan online, or do I have to visit a branch?', 0.7),
    A('You can do everything online. The email has a link, and the application takes about ten minutes. You will need your account number and a photo identity document.', 0.6),
    C('Great, that sounds easy enough. I will have a look at it tonight with my wife.', 0.8),
    C('No, that is all. Thank you for calling.', 0.7),
    A('Thank you for your time, Mister Peters. Have a lovely day.', 0.5),
  ],
};

/** A connected call the customer ends within seconds: an early hang-up. */
export const SHORT_CALL: CallSpec = {
  name: 'short',
  tailSeconds: 1.0,
  turns: [
    A('Hello, this is Anna from Northwind Savings, do you have a moment to talk about your savings?', 0.8),
    C('No thanks, I am not interested.', 0.6),
    A('I understand. Could I just tell you about one offer', 0.4),
    C('Please take me off your list. Goodbye.', -1.2),
  ],
};

/** The benchmark's call: the long call's turns repeated until it lasts `minutes`. */
export function repeatedCall(minutes: number): CallSpec {
  const turns: TurnSpec[] = [];
  // about 130 s per repetition
  for (let i = 0; i < Math.ceil((minutes * 60) / 130); i++) turns.push(...LONG_CALL.turns);
  return { name: `bench-${minutes}min`, turns, tailSeconds: 1, maxSeconds: minutes * 60 };
}

async function speak(text: string, speaker: 'agent' | 'customer', work: string): Promise<Float32Array> {
  const wav = join(work, 'utterance.wav');
  const raw = join(work, 'utterance.raw');
  const voice = speaker === 'agent' ? ['-v', 'en-us+f3', '-s', '165', '-p', '55'] : ['-v', 'en-gb', '-s', '150', '-p', '40'];
  await run('espeak-ng', [...voice, '-w', wav, text]);
  await run('sox', [wav, '-r', String(RATE), '-c', '1', '-b', '16', '-e', 'signed', '-t', 'raw', raw]);
  const bytes = await readFile(raw);
  const pcm = new Int16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
  const level = speaker === 'agent' ? 0.5 : 0.4;
  let peak = 1;
  for (const s of pcm) peak = Math.max(peak, Math.abs(s));
  const out = Float32Array.from(pcm, (s) => (s / peak) * level);
  return trimSilence(out);
}

/** Cuts espeak's leading and trailing silence so the truth spans start and end on sound (10 ms frames above -50 dBFS). */
function trimSilence(x: Float32Array): Float32Array {
  const frame = RATE / 100;
  const loud = (i: number): boolean => {
    let sum = 0;
    for (let k = i; k < Math.min(x.length, i + frame); k++) sum += x[k] * x[k];
    return sum / frame > 1e-5;
  };
  let start = 0;
  while (start < x.length && !loud(start)) start += frame;
  let end = x.length - frame;
  while (end > start && !loud(end)) end -= frame;
  return x.subarray(start, Math.min(x.length, end + frame));
}

/** Deterministic noise (mulberry32 + Box–Muller) so every generated set is identical. */
function gaussian(seed: number): () => number {
  let a = seed >>> 0;
  const uniform = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

function wavBytes(channels: Float32Array[]): Buffer {
  const n = channels[0].length;
  const ch = channels.length;
  const buf = Buffer.alloc(44 + n * ch * 2);
  buf.write('RIFF', 0);
  buf.writeUInt32LE(36 + n * ch * 2, 4);
  buf.write('WAVEfmt ', 8);
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(ch, 22);
  buf.writeUInt32LE(RATE, 24);
  buf.writeUInt32LE(RATE * ch * 2, 28);
  buf.writeUInt16LE(ch * 2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36);
  buf.writeUInt32LE(n * ch * 2, 40);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < ch; c++) {
      const v = Math.max(-1, Math.min(1, channels[c][i]));
      buf.writeInt16LE(Math.round(v * 32767), 44 + (i * ch + c) * 2);
    }
  }
  return buf;
}

/** Line noise at about -55 dBFS and each party's echo, 32 ms late and 20 dB down, on the other channel. */
function realistic(agent: Float32Array, customer: Float32Array): Float32Array[] {
  const delay = Math.round(0.032 * RATE);
  const echoGain = 0.1;
  const noise = gaussian(20240611);
  const noiseRms = 0.0018;
  const mix = (own: Float32Array, other: Float32Array): Float32Array =>
    Float32Array.from(own, (s, i) => s + (i >= delay ? other[i - delay] * echoGain : 0) + noise() * noiseRms);
  return [mix(agent, customer), mix(customer, agent)];
}

function transcriptOf(turns: TruthTurn[]): NormalisedTranscript {
  return {
    provider: 'generator',
    model: 'espeak-ng',
    language: 'en',
    rolesSource: 'sidecar',
    segments: turns.map((t) => {
      const words = t.text.split(/\s+/u).filter((w) => w.length > 0);
      const chars = words.reduce((n, w) => n + w.length + 1, 0);
      let cursor = t.start;
      // word times are spread by length: espeak reports none, and only the count matters for the speech rate
      const timed = words.map((w) => {
        const len = ((w.length + 1) / chars) * (t.end - t.start);
        const word = { w, start: cursor, end: cursor + len * 0.9 };
        cursor += len;
        return word;
      });
      return { speaker: t.speaker as Speaker, start: t.start, end: t.end, text: t.text, words: timed };
    }),
  };
}

/** Renders one call spec into `outDir/<name>.*` and returns its truth and file paths. */
export async function synthesiseCall(spec: CallSpec, outDir: string, variants: readonly CallVariant[] = CALL_VARIANTS): Promise<GeneratedCall> {
  await mkdir(outDir, { recursive: true });
  const work = await mkdtemp(join(tmpdir(), 'earshot-gen-'));
  try {
    const cache = new Map<string, Float32Array>();
    const placed: { turn: TruthTurn; audio: Float32Array }[] = [];
    let cursor = 0;
    for (const t of spec.turns) {
      const key = `${t.speaker}:${t.text}`;
      const audio = cache.get(key) ?? (await speak(t.text, t.speaker, work));
      cache.set(key, audio);
      const start = Math.round((cursor + t.after) * RATE) / RATE;
      const end = start + audio.length / RATE;
      placed.push({ turn: { speaker: t.speaker, start, end, text: t.text }, audio });
      cursor = Math.max(cursor, end);
    }
    const total = Math.ceil(Math.min(cursor + spec.tailSeconds, spec.maxSeconds ?? Infinity) * RATE);
    const limit = total / RATE;
    for (let i = placed.length - 1; i >= 0; i--) {
      const p = placed[i];
      if (p.turn.start >= limit) placed.splice(i, 1);
      else if (p.turn.end > limit) {
        p.audio = p.audio.subarray(0, total - Math.round(p.turn.start * RATE));
        p.turn.end = limit;
      }
    }
    const agent = new Float32Array(total);
    const customer = new Float32Array(total);
    for (const { turn, audio } of placed) {
      const target = turn.speaker === 'agent' ? agent : customer;
      const at = Math.round(turn.start * RATE);
      for (let i = 0; i < audio.length; i++) target[at + i] += audio[i];
    }

    const turns = placed.map((p) => p.turn);
    const durationSeconds = total / RATE;
    let overlap: CallTruth['overlap'] = null;
    let longSilences = 0;
    let lastEnd = 0;
    for (let i = 0; i < turns.length; i++) {
      const t = turns[i];
      if (i > 0 && t.start < lastEnd) overlap = { by: t.speaker, start: t.start, end: Math.min(lastEnd, t.end) };
      if (i > 0 && t.start - lastEnd > 5) longSilences++;
      lastEnd = Math.max(lastEnd, t.end);
    }
    const truth: CallTruth = {
      name: spec.name,
      durationSeconds,
      connected: true,
      channelLayout: 'agent-left',
      turns,
      overlap,
      longSilences,
      earlyHangUp: durationSeconds < 30,
      effectiveCall: durationSeconds >= 120,
    };

    const base = join(outDir, spec.name);
    const files = {} as Record<CallVariant, string>;
    const cleanWav = `${base}.stereo.wav`;
    const realWav = `${base}.realistic.wav`;
    const wants = (v: CallVariant): boolean => variants.includes(v);
    const needsClean = ['stereo', 'stereo-mulaw', 'stereo-mp3', 'mono'].some((v) => wants(v as CallVariant));
    const needsReal = ['realistic', 'realistic-mulaw', 'realistic-mp3'].some((v) => wants(v as CallVariant));
    if (needsClean) await writeFile(cleanWav, wavBytes([agent, customer]));
    if (needsReal) await writeFile(realWav, wavBytes(realistic(agent, customer)));
    const convert = async (variant: CallVariant, from: string, to: string, args: string[]): Promise<void> => {
      if (!wants(variant)) return;
      await run('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-i', from, ...args, to]);
      files[variant] = to;
    };
    if (wants('stereo')) files.stereo = cleanWav;
    if (wants('realistic')) files.realistic = realWav;
    await convert('stereo-mulaw', cleanWav, `${base}.stereo-mulaw.wav`, ['-c:a', 'pcm_mulaw']);
    await convert('stereo-mp3', cleanWav, `${base}.stereo.mp3`, ['-c:a', 'libmp3lame', '-b:a', '32k']);
    await convert('mono', cleanWav, `${base}.mono.wav`, ['-ac', '1', '-c:a', 'pcm_s16le']);
    await convert('realistic-mulaw', realWav, `${base}.realistic-mulaw.wav`, ['-c:a', 'pcm_mulaw']);
    await convert('realistic-mp3', realWav, `${base}.realistic.mp3`, ['-c:a', 'libmp3lame', '-b:a', '32k']);

    const truthPath = `${base}.truth.json`;
    const transcriptPath = `${base}.transcript.json`;
    await writeFile(truthPath, JSON.stringify(truth, null, 2));
    await writeFile(transcriptPath, JSON.stringify(transcriptOf(turns), null, 2));
    return { truth, truthPath, transcriptPath, files };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The whole accuracy set: the long (effective) call and the short (early hang-up) call, every variant. */
export async function generateTestCalls(outDir: string): Promise<GeneratedCall[]> {
  return [await synthesiseCall(LONG_CALL, outDir), await synthesiseCall(SHORT_CALL, outDir)];
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: generate-test-calls <out-dir>');
    process.exit(2);
  }
  const calls = await generateTestCalls(resolve(out));
  for (const c of calls) {
    console.log(`${c.truth.name}: ${c.truth.durationSeconds.toFixed(1)} s, ${c.truth.turns.length} turns → ${Object.values(c.files).join(', ')}`);
  }
}
