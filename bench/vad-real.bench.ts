/**
 * npm run bench:vad-real -- <stereo.wav> [more.wav ...] — energy versus Silero voice activity on real two-channel
 * recordings, which have no frame-level truth. Reference instead, per channel, from the recording itself:
 *   clear speech  = frames ≥ 25 dB above the channel's adaptive noise floor (energy detector at +25 dB, echo check on,
 *                   no bridging), which no detector should miss;
 *   clear silence = frames the energy detector at only +4 dB (no bridging) leaves silent, which none should call speech.
 * Reports per detector and channel: talk seconds, share of clear speech found, share of clear silence called speech,
 * frame agreement between the two detectors, and CPU time. Last line: one JSON object.
 */
import { basename } from 'node:path';
import { detectVoiceActivity, type VadDetector } from '#libs/audio';
import type { TimeInterval } from '#libs/conversation-metrics';

const STEP = 0.01; // 10 ms grid for comparing interval sets

function grid(intervals: readonly TimeInterval[], duration: number): Uint8Array {
  const g = new Uint8Array(Math.ceil(duration / STEP));
  for (const { start, end } of intervals) {
    for (let k = Math.floor(start / STEP); k < Math.min(g.length, Math.ceil(end / STEP)); k++) g[k] = 1;
  }
  return g;
}

const count = (g: Uint8Array): number => g.reduce((n, v) => n + v, 0);
function overlap(a: Uint8Array, b: Uint8Array): number {
  let n = 0;
  for (let k = 0; k < a.length; k++) if (a[k] && b[k]) n++;
  return n;
}
const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: vad-real.bench <stereo.wav> [...]');
  process.exit(2);
}

const results: Record<string, unknown>[] = [];
for (const file of files) {
  const clear = await detectVoiceActivity(file, { detector: 'energy', tuning: { thresholdAboveFloorDb: 25, bridgeSeconds: 0, minSpeechSeconds: 0 } });
  const loose = await detectVoiceActivity(file, { detector: 'energy', tuning: { thresholdAboveFloorDb: 4, bridgeSeconds: 0, minSpeechSeconds: 0 } });
  const duration = clear.durationSeconds;
  if (clear.channels !== 2) throw new Error(`${file}: ${clear.channels} channel(s); this bench wants a two-channel recording`);
  const byDetector: Record<string, { grids: Uint8Array[]; cpuSeconds: number }> = {};
  for (const detector of ['energy', 'silero'] as VadDetector[]) {
    const cpu0 = process.cpuUsage();
    const va = await detectVoiceActivity(file, { detector });
    const cpu = process.cpuUsage(cpu0);
    byDetector[detector] = { grids: va.perChannel.map((c) => grid(c, duration)), cpuSeconds: (cpu.user + cpu.system) / 1e6 };
  }
  for (let c = 0; c < 2; c++) {
    const speech = grid(clear.perChannel[c] ?? [], duration);
    const notSilent = grid(loose.perChannel[c] ?? [], duration);
    const silence = notSilent.map((v) => 1 - v);
    const row: Record<string, unknown> = {
      file: basename(file),
      channel: c === 0 ? 'left' : 'right',
      seconds: round(duration, 1),
      clearSpeechSeconds: round(count(speech) * STEP, 1),
      clearSilenceSeconds: round(count(silence) * STEP, 1),
    };
    for (const [detector, { grids }] of Object.entries(byDetector)) {
      const g = grids[c] as Uint8Array;
      row[`${detector}TalkSeconds`] = round(count(g) * STEP, 1);
      row[`${detector}ClearSpeechFound`] = round(overlap(g, speech) / Math.max(1, count(speech)));
      row[`${detector}ClearSilenceAsSpeech`] = round(overlap(g, silence) / Math.max(1, count(silence)));
    }
    const e = byDetector['energy']?.grids[c] as Uint8Array;
    const s = byDetector['silero']?.grids[c] as Uint8Array;
    row['energyOnlySeconds'] = round((count(e) - overlap(e, s)) * STEP, 1);
    row['sileroOnlySeconds'] = round((count(s) - overlap(e, s)) * STEP, 1);
    results.push(row);
    console.log(
      `${row['file']} ${row['channel']}: talk energy ${row['energyTalkSeconds']} s / silero ${row['sileroTalkSeconds']} s; ` +
        `clear speech (${row['clearSpeechSeconds']} s) found: energy ${row['energyClearSpeechFound']}, silero ${row['sileroClearSpeechFound']}; ` +
        `clear silence (${row['clearSilenceSeconds']} s) called speech: energy ${row['energyClearSilenceAsSpeech']}, silero ${row['sileroClearSilenceAsSpeech']}; ` +
        `only energy ${row['energyOnlySeconds']} s, only silero ${row['sileroOnlySeconds']} s`,
    );
  }
  console.log(`${basename(file)} CPU: energy ${round(byDetector['energy']?.cpuSeconds ?? 0, 2)} s, silero ${round(byDetector['silero']?.cpuSeconds ?? 0, 2)} s (process CPU, Silero's worker thread included) for ${round(duration, 1)} s of audio`);
}
console.log(JSON.stringify({ bench: 'vad-real', results }));
