/**
 * npm run bench:audio — a 10-minute 8 kHz stereo call (generated with espeak-ng): x-real-time of decoding + VAD +
 * metrics per detector, and of clip cutting. "Per core" divides audio seconds by CPU seconds of this process (all
 * threads, the Silero worker included) plus its ffmpeg/ffprobe children. Last line: one JSON object.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cutClip, detectVoiceActivity, type ClipFormat, type VadDetector } from '#libs/audio';
import { computeConversationMetrics } from '#libs/conversation-metrics';
import { repeatedCall, synthesiseCall } from '../scripts/generate-test-calls.js';

const CLK_TCK = 100;
const TARGETS: Record<VadDetector, number> = { energy: 300, silero: 80 };

/** CPU seconds of this process and of its reaped children (ffmpeg), from /proc. */
function cpuSeconds(): number {
  const own = process.cpuUsage();
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  // fields after the command name: index 13 and 14 are cutime and cstime (proc(5) fields 16 and 17)
  const children = (Number(fields[13]) + Number(fields[14])) / CLK_TCK;
  return (own.user + own.system) / 1e6 + children;
}

async function measure<T>(fn: () => Promise<T>): Promise<{ wall: number; cpu: number; value: T }> {
  const cpu0 = cpuSeconds();
  const t0 = performance.now();
  const value = await fn();
  return { wall: (performance.now() - t0) / 1000, cpu: cpuSeconds() - cpu0, value };
}

const dir = await mkdtemp(join(tmpdir(), 'earshot-bench-'));
try {
  const call = await synthesiseCall(repeatedCall(10), dir, ['stereo']);
  const file = call.files.stereo;
  const seconds = call.truth.durationSeconds;
  console.log(`call: ${(seconds / 60).toFixed(1)} min 8 kHz stereo WAV, ${call.truth.turns.length} turns`);

  const detectors: Record<string, unknown> = {};
  for (const detector of ['energy', 'silero'] as const) {
    await detectVoiceActivity(file, { detector, tuning: {} }); // warm-up: model load, JIT
    let best = { wall: Infinity, cpu: Infinity };
    let share = 0;
    for (let i = 0; i < 3; i++) {
      const r = await measure(async () => {
        const va = await detectVoiceActivity(file, { detector });
        return computeConversationMetrics({ durationSeconds: va.durationSeconds, agent: va.agent ?? [], customer: va.customer ?? [] });
      });
      share = r.value.agentTalkShare ?? NaN;
      if (r.cpu < best.cpu) best = { wall: Math.min(best.wall, r.wall), cpu: r.cpu };
      else best.wall = Math.min(best.wall, r.wall);
    }
    const perCore = seconds / best.cpu;
    detectors[detector] = {
      xRealTimePerCore: Math.round(perCore),
      xRealTimeWall: Math.round(seconds / best.wall),
      cpuSeconds: Number(best.cpu.toFixed(3)),
      wallSeconds: Number(best.wall.toFixed(3)),
      target: TARGETS[detector],
      meetsTarget: perCore >= TARGETS[detector],
    };
    console.log(`${detector}: ${perCore.toFixed(0)}x real time per core (${(seconds / best.wall).toFixed(0)}x wall), agent share ${(share * 100).toFixed(1)}%`);
  }

  const clips: Record<string, unknown> = {};
  for (const format of ['mp3', 'opus'] as ClipFormat[]) {
    const count = 20;
    const r = await measure(async () => {
      let total = 0;
      for (let i = 0; i < count; i++) {
        const at = ((i + 0.5) * seconds) / count;
        const c = await cutClip(file, { start: at, end: at + 4, duration: seconds }, join(dir, `clip-${i}.${format}`), format);
        total += c.end - c.start;
      }
      return total;
    });
    clips[format] = {
      clips: count,
      clipSeconds: Number(r.value.toFixed(1)),
      xRealTimePerCore: Math.round(r.value / r.cpu),
      msPerClipWall: Math.round((r.wall * 1000) / count),
    };
    console.log(`clip ${format}: ${count} × ${(r.value / count).toFixed(0)} s clips, ${(r.value / r.cpu).toFixed(0)}x real time per core, ${((r.wall * 1000) / count).toFixed(0)} ms each`);
  }

  console.log(JSON.stringify({ bench: 'audio', callSeconds: Number(seconds.toFixed(1)), detectors, clips }));
} finally {
  await rm(dir, { recursive: true, force: true });
}
