import { randomBytes } from 'node:crypto';

/** 2 s of quiet 8 kHz 16-bit mono PCM with a random tail, so every recording has its own sha256. */
export function distinctQuietWav(): Buffer {
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
  return Buffer.concat([header, body]);
}
