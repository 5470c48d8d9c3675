import type { AudioProbe } from './probe-audio.js';

const WAVE_CODECS: Readonly<Record<number, (bits: number) => string | null>> = {
  0x0001: (bits) => ({ 8: 'pcm_u8', 16: 'pcm_s16le', 24: 'pcm_s24le', 32: 'pcm_s32le' })[bits] ?? null,
  0x0003: (bits) => ({ 32: 'pcm_f32le', 64: 'pcm_f64le' })[bits] ?? null,
  0x0006: (bits) => (bits === 8 ? 'pcm_alaw' : null),
  0x0007: (bits) => (bits === 8 ? 'pcm_mulaw' : null),
};
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;

/**
 * The description ffprobe would give of a plain RIFF/WAVE file (PCM, float, A-law or mu-law), read from its header
 * without a process spawn; null for anything else or anything unusual, which the caller hands to ffprobe. `head` is
 * the file's first bytes (enough to hold the chunks before `data`), `fileBytes` its whole size.
 */
export function readWavHeader(head: Buffer, fileBytes: number): AudioProbe | null {
  return readWavLayout(head, fileBytes)?.probe ?? null;
}

/** A plain WAV's description and where its samples are: `dataBytes` from `dataOffset`, `blockAlign` bytes a frame. */
export interface WavLayout {
  probe: AudioProbe;
  dataOffset: number;
  dataBytes: number;
  blockAlign: number;
}

export function readWavLayout(head: Buffer, fileBytes: number): WavLayout | null {
  if (head.length < 12 || head.toString('latin1', 0, 4) !== 'RIFF' || head.toString('latin1', 8, 12) !== 'WAVE') return null;
  let fmt: { tag: number; channels: number; sampleRate: number; byteRate: number; bits: number } | null = null;
  for (let offset = 12; offset + 8 <= head.length; ) {
    const id = head.toString('latin1', offset, offset + 4);
    const size = head.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + size > head.length) return null;
      let tag = head.readUInt16LE(body);
      // the extensible format names its codec in the first two bytes of the sub-format GUID
      if (tag === WAVE_FORMAT_EXTENSIBLE) tag = size >= 40 ? head.readUInt16LE(body + 24) : -1;
      fmt = { tag, channels: head.readUInt16LE(body + 2), sampleRate: head.readUInt32LE(body + 4), byteRate: head.readUInt32LE(body + 8), bits: head.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      if (!fmt) return null;
      const codec = WAVE_CODECS[fmt.tag]?.(fmt.bits) ?? null;
      const blockAlign = (fmt.channels * fmt.bits) / 8;
      if (!codec || fmt.channels < 1 || fmt.channels > 8 || fmt.sampleRate < 1000 || fmt.sampleRate > 384_000 || fmt.byteRate !== fmt.sampleRate * blockAlign) {
        return null;
      }
      // a header written before the recording ended may claim more, or 0 / 0xFFFFFFFF: the file says what is there
      const present = Math.max(0, fileBytes - body);
      const dataBytes = size === 0 || size === 0xffffffff ? present : Math.min(size, present);
      const probe: AudioProbe = {
        format: 'wav',
        codec,
        channels: fmt.channels,
        sampleRate: fmt.sampleRate,
        durationSeconds: Math.floor(dataBytes / blockAlign) / fmt.sampleRate,
        bitRate: fmt.byteRate * 8,
      };
      return { probe, dataOffset: body, dataBytes, blockAlign };
    }
    offset = body + size + (size % 2);
  }
  return null;
}
