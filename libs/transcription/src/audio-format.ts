export type AudioFormat = 'wav' | 'mp3' | 'ogg' | 'flac' | 'm4a';

/** WAV codec tags that Earshot accepts (format tag in the fmt chunk). */
export type WavCodec = 'pcm' | 'float' | 'alaw' | 'mulaw' | 'extensible';

const ascii = (b: Buffer, at: number, len: number): string => b.toString('latin1', at, at + len);

/** Detects the container from the file's first bytes (16+ bytes; 64 recommended), ignoring its name. */
export function sniffAudioFormat(firstBytes: Buffer): AudioFormat | null {
  const b = firstBytes;
  if (b.length >= 12 && (ascii(b, 0, 4) === 'RIFF' || ascii(b, 0, 4) === 'RF64') && ascii(b, 8, 4) === 'WAVE') return 'wav';
  if (b.length >= 4 && ascii(b, 0, 4) === 'fLaC') return 'flac';
  if (b.length >= 4 && ascii(b, 0, 4) === 'OggS') return 'ogg';
  if (b.length >= 12 && ascii(b, 4, 4) === 'ftyp') {
    const brand = ascii(b, 8, 4);
    // M4A/MP4 audio brands; 3GP is common from mobile recorders and decodes the same way.
    if (/^(M4A |M4B |mp4[12]|isom|iso[2-6]|3gp[4-6]|3g2a|dash|MSNV|qt {2})$/.test(brand)) return 'm4a';
    return null;
  }
  if (b.length >= 3 && ascii(b, 0, 3) === 'ID3') return 'mp3';
  // MPEG audio frame sync: 11 set bits, layer != reserved, bitrate index != 15, sample-rate index != 3.
  if (b.length >= 4 && b[0] === 0xff && (b[1] & 0xe0) === 0xe0) {
    const version = (b[1] >> 3) & 0x03;
    const layer = (b[1] >> 1) & 0x03;
    const bitrate = (b[2] >> 4) & 0x0f;
    const rate = (b[2] >> 2) & 0x03;
    if (version !== 1 && layer !== 0 && bitrate !== 0x0f && rate !== 0x03) return 'mp3';
  }
  return null;
}

/** Reads the WAV format tag, or null when the bytes are not a WAV with a fmt chunk in reach. */
export function sniffWavCodec(firstBytes: Buffer): WavCodec | null {
  const b = firstBytes;
  if (sniffAudioFormat(b) !== 'wav') return null;
  let at = 12;
  while (at + 8 <= b.length) {
    const id = ascii(b, at, 4);
    const size = b.readUInt32LE(at + 4);
    if (id === 'fmt ') {
      if (at + 10 > b.length) return null;
      const tag = b.readUInt16LE(at + 8);
      const codecs: Record<number, WavCodec> = { 1: 'pcm', 3: 'float', 6: 'alaw', 7: 'mulaw', 0xfffe: 'extensible' };
      return codecs[tag] ?? null;
    }
    at += 8 + size + (size % 2);
  }
  return null;
}
