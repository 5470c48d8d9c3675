import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type InMemoryWav, muteSpans } from '#libs/audio';
import type { AudioMeasurements, CallRecord, CallRepository } from '#libs/db';
import type { TimeSpan } from '#libs/redaction';
import type { ObjectStorage } from '#libs/storage';

/**
 * Key of a call's redacted recording, without the extension: it names the spans muted, so a transcript that redacts
 * something else (a re-import) gets a new key, and a re-run with the same spans finds its copy already stored.
 */
export function redactedAudioStem(callId: string, spans: readonly TimeSpan[]): string {
  const digest = createHash('sha256').update(JSON.stringify(spans.map((s) => [s.start, s.end]))).digest('hex');
  return `redacted/${callId}-${digest.slice(0, 16)}`;
}

export interface RedactedAudioInput {
  callId: string;
  audioKey: string;
  /** the call's current redacted copy, if any */
  redactedAudioKey: string | null;
  /** the recording as a local file, or as a plain WAV already in memory */
  audio: { path: string } | { wav: InMemoryWav };
  spans: readonly TimeSpan[];
}

/**
 * Stores the recording with the spans muted (same container and codec) and returns its key; the recording's own key
 * when there is nothing to mute, and the current copy's key when it already mutes exactly these spans.
 */
export async function storeRedactedAudio(storage: ObjectStorage, input: RedactedAudioInput): Promise<string> {
  if (input.spans.length === 0) return input.audioKey;
  const stem = redactedAudioStem(input.callId, input.spans);
  if (input.redactedAudioKey?.startsWith(`${stem}.`) && (await storage.stat(input.redactedAudioKey))) return input.redactedAudioKey;
  if ('wav' in input.audio) {
    const key = `${stem}.wav`;
    const muted = input.audio.wav.muted(input.spans);
    await storage.put(key, muted, { contentType: 'audio/wav', size: muted.length });
    return key;
  }
  const dir = await mkdtemp(join(tmpdir(), 'earshot-redacted-'));
  try {
    const copy = await muteSpans(input.audio.path, input.spans, join(dir, 'redacted'));
    const key = `${stem}.${copy.extension}`;
    await storage.put(key, createReadStream(copy.path), { contentType: copy.contentType, size: (await stat(copy.path)).size });
    return key;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Points the call at its new redacted copy, clearing the clips cut before in the same statement (with `measured`, the
 * stage's other write), then deletes the previous copy. Returns how many clips are to be cut again.
 */
export async function replaceRedactedAudio(
  deps: { calls: CallRepository; storage: ObjectStorage },
  call: Pick<CallRecord, 'id' | 'audioKey' | 'redactedAudioKey'>,
  redactedAudioKey: string,
  measured?: AudioMeasurements,
): Promise<number> {
  const recut = await deps.calls.pointAtRedactedAudio(call.id, redactedAudioKey, measured);
  const previous = call.redactedAudioKey;
  if (previous && previous !== call.audioKey && previous !== redactedAudioKey) await deps.storage.delete(previous);
  return recut;
}
