import { createHash } from 'node:crypto';
import yazl from 'yazl';

export interface ZipEntry {
  /** path inside the archive, forward slashes */
  name: string;
  data: Buffer;
}

export interface ManifestFile {
  name: string;
  bytes: number;
  sha256: string;
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The manifest lines for each entry: its name, size and sha256, so a recipient can check nothing changed. */
export function manifestOf(entries: readonly ZipEntry[]): ManifestFile[] {
  return entries.map((entry) => ({ name: entry.name, bytes: entry.data.length, sha256: sha256Hex(entry.data) }));
}

/** Builds a zip in memory. Already-compressed media (mp3, opus) is stored, everything else deflated. */
export async function buildZip(entries: readonly ZipEntry[], modifiedAt = new Date()): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    zip.addBuffer(entry.data, entry.name, { mtime: modifiedAt, compress: !/\.(mp3|opus|ogg|m4a)$/i.test(entry.name) });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
