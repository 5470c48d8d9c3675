import { randomBytes } from 'node:crypto';

/** An 8 kHz 16-bit mono PCM WAV of `samples` samples, each given by `sample(i)`. */
export function monoWav(samples: number, sample: (i: number) => number): Buffer {
  const b = Buffer.alloc(44 + samples * 2);
  b.write('RIFF', 0, 'latin1');
  b.writeUInt32LE(36 + samples * 2, 4);
  b.write('WAVEfmt ', 8, 'latin1');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(8000, 24);
  b.writeUInt32LE(16_000, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36, 'latin1');
  b.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) b.writeInt16LE(sample(i), 44 + i * 2);
  return b;
}

/** 2 s of quiet 8 kHz 16-bit mono PCM with a random tail, so every recording has its own sha256. */
export function distinctQuietWav(): Buffer {
  const wav = monoWav(16_000, () => 0);
  randomBytes(64).copy(wav, wav.length - 64);
  return wav;
}
