import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
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

/** An entry read from a stream when the archive reaches it (so only one entry's bytes are in flight at a time). */
export interface StreamedZipEntry {
  name: string;
  size: number;
  open: () => Promise<Readable>;
}

const STORED = /\.(mp3|opus|ogg|m4a|flac)$/i;

/**
 * Streams a zip: buffers are added as they are, streamed entries are opened one after another as the archive reaches
 * them, so memory stays flat whatever the sizes. Already-compressed media is stored, everything else deflated.
 */
export function streamZip(entries: readonly (ZipEntry | StreamedZipEntry)[], modifiedAt = new Date()): Readable {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    const options = { mtime: modifiedAt, compress: !STORED.test(entry.name) };
    if ('data' in entry) {
      zip.addBuffer(entry.data, entry.name, options);
      continue;
    }
    zip.addReadStreamLazy(entry.name, { ...options, size: entry.size }, (done) => {
      entry.open().then(
        (stream) => done(null, stream),
        (error: unknown) => done(error, undefined as never),
      );
    });
  }
  zip.end();
  return zip.outputStream as Readable;
}
