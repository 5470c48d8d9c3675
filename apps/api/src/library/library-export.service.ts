import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { UnreadableAudioError, cutClip, probeAudio } from '#libs/audio';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { AuditRepository, type ExportCallSource, type ExportSources, LibraryRepository } from '#libs/db';
import type { TranscriptSegment } from '#libs/domain';
import { type ManifestFile, type ZipEntry, manifestOf, sha256Hex, streamZip } from '#libs/export';
import { redactTranscript } from '#libs/redaction';
import { NotFoundInStorageError, OBJECT_STORAGE, type ObjectStorage, readWholeObject } from '#libs/storage';
import { NotFoundError } from '../common/not-found.error.js';
import { RequestValidationError } from '../common/request-validation.error.js';
import { exportPosition, formatExcerpt, segmentsInSpan } from './library-content.js';

/** An export's clips are collected in memory (a clip is ~40 KB a minute), so this bounds them to tens of MB. */
export const EXPORT_MAX_ITEMS = 500;

export type ClipSource = 'finding_clip' | 'redacted_recording' | 'original_recording';

export interface ManifestItem {
  itemId: string;
  label: string;
  topics: string[];
  notes: string | null;
  callId: string;
  findingId: string | null;
  startSeconds: number;
  endSeconds: number;
  /** file name in the archive, or null with clipMissingReason */
  clip: string | null;
  clipSource: ClipSource | null;
  clipMissingReason: string | null;
  excerpt: string;
}

export interface LibraryManifest {
  collection: { id: string; name: string; description: string | null };
  exportedAt: string;
  exportedBy: string;
  items: ManifestItem[];
  /** name, bytes and sha256 of every other file in the archive */
  files: ManifestFile[];
}

export interface LibraryExport {
  fileName: string;
  zip: Readable;
  manifest: LibraryManifest;
  manifestSha256: string;
}

type ItemSource = ExportSources['items'][number];
type ClipOutcome = { data: Buffer; extension: string; source: ClipSource } | { missing: string };

/**
 * Exports a collection as a zip: a clip per item (the finding's own clip, else cut from the call's recording), the
 * redacted transcript excerpt of its span, and a manifest with every file's sha256. Audited as library.exported.
 */
@Injectable()
export class LibraryExportService {
  private readonly logger = new Logger(LibraryExportService.name);

  constructor(
    private readonly library: LibraryRepository,
    private readonly audit: AuditRepository,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async export(collectionId: string, actor: string): Promise<LibraryExport> {
    const sources = await this.library.exportSources(collectionId);
    if (!sources) throw new NotFoundError('library collection', collectionId);
    if (sources.items.length > EXPORT_MAX_ITEMS) {
      throw new RequestValidationError(
        [`path.id: the collection has ${sources.items.length} items; an export holds at most ${EXPORT_MAX_ITEMS} (split the collection)`],
        422,
      );
    }
    const exportedAt = new Date();
    const workDir = await mkdtemp(join(tmpdir(), 'earshot-library-'));
    const recordings = new RecordingFiles(this.storage, workDir);
    try {
      const files: ZipEntry[] = [];
      const items: ManifestItem[] = [];
      for (const [index, item] of sources.items.entries()) {
        const position = exportPosition(index);
        const call = sources.calls.get(item.callId);
        const clip = await this.clipOf(item, call, recordings, workDir);
        const clipName = 'data' in clip ? `clips/${position}-${item.label}-${item.id}.${clip.extension}` : null;
        if ('data' in clip && clipName) files.push({ name: clipName, data: clip.data });
        const excerptName = `excerpts/${position}-${item.id}.txt`;
        files.push({ name: excerptName, data: Buffer.from(excerptOf(item, call), 'utf8') });
        items.push({
          itemId: item.id,
          label: item.label,
          topics: item.topics,
          notes: item.notes,
          callId: item.callId,
          findingId: item.findingId,
          startSeconds: item.startSeconds,
          endSeconds: item.endSeconds,
          clip: clipName,
          clipSource: 'data' in clip ? clip.source : null,
          clipMissingReason: 'missing' in clip ? clip.missing : null,
          excerpt: excerptName,
        });
      }
      const manifest: LibraryManifest = {
        collection: sources.collection,
        exportedAt: exportedAt.toISOString(),
        exportedBy: actor,
        items,
        files: manifestOf(files),
      };
      const manifestData = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
      const manifestSha256 = sha256Hex(manifestData);
      const fileBytes = files.reduce((sum, file) => sum + file.data.length, 0);
      await this.audit.append({
        actor,
        action: 'library.exported',
        entityType: 'library_collection',
        entityId: collectionId,
        details: {
          items: items.length,
          clips: items.filter((item) => item.clip !== null).length,
          manifestSha256,
          fileBytes,
        },
      });
      this.logger.log(`library collection ${collectionId} exported by ${actor}: ${items.length} items, ${fileBytes} bytes of files`);
      // the archive is streamed from the collected files: never a second, whole-archive copy in memory
      const zip = streamZip([{ name: 'manifest.json', data: manifestData }, ...files], exportedAt);
      return { fileName: `library-${slug(sources.collection.name)}-${exportedAt.toISOString().slice(0, 10)}.zip`, zip, manifest, manifestSha256 };
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }

  private async clipOf(item: ItemSource, call: ExportCallSource | undefined, recordings: RecordingFiles, workDir: string): Promise<ClipOutcome> {
    let clipGone: string | null = null;
    if (item.clipKey) {
      const clip = await readWholeObject(this.storage, item.clipKey);
      if (clip) return { data: clip, extension: item.clipKey.split('.').at(-1) ?? 'mp3', source: 'finding_clip' };
      clipGone = "the finding's clip is no longer in storage";
    }
    if (!call) return { missing: 'the call no longer exists' };
    if (call.audioDeletedAt) {
      return { missing: `${clipGone ? `${clipGone}; ` : ''}the call's recording was deleted by retention on ${call.audioDeletedAt.toISOString()}; only the excerpt is exported` };
    }
    // Calls processed before muted copies existed have none: their clips come from the original (clipSource says so).
    const key = call.redactedAudioKey ?? call.audioKey;
    const source: ClipSource = call.redactedAudioKey ? 'redacted_recording' : 'original_recording';
    const recording = await recordings.open(key);
    if ('missing' in recording) return recording;
    // a finding's span gets the same context as the pipeline's clips; a trainer's own span is cut as chosen
    const pad = item.findingId ? this.config.media.clipPadSeconds : 0;
    const output = join(workDir, `${item.id}.mp3`);
    try {
      await cutClip(
        recording.path,
        { start: item.startSeconds, end: item.endSeconds, padBefore: pad, padAfter: pad, duration: recording.durationSeconds },
        output,
        'mp3',
      );
    } catch (error) {
      if (error instanceof RangeError) {
        return { missing: `the span ${item.startSeconds}–${item.endSeconds} s lies outside the recording (0–${recording.durationSeconds} s)` };
      }
      if (error instanceof UnreadableAudioError) return { missing: `the recording cannot be cut: ${error.message}` };
      throw error;
    }
    return { data: await readFile(output), extension: 'mp3', source };
  }
}

/** Local files of the recordings an export cuts from: the object's own file where storage is a folder, else one copy per key. */
class RecordingFiles {
  private readonly opened = new Map<string, Promise<{ path: string; durationSeconds: number } | { missing: string }>>();
  private copies = 0;

  constructor(
    private readonly storage: ObjectStorage,
    private readonly dir: string,
  ) {}

  open(key: string): Promise<{ path: string; durationSeconds: number } | { missing: string }> {
    let opened = this.opened.get(key);
    if (!opened) {
      opened = this.load(key);
      this.opened.set(key, opened);
    }
    return opened;
  }

  private async load(key: string): Promise<{ path: string; durationSeconds: number } | { missing: string }> {
    let path = await this.storage.localPath(key);
    if (!path) {
      path = join(this.dir, `recording-${++this.copies}-${key.split('/').at(-1) ?? 'audio'}`);
      try {
        await pipeline(await this.storage.get(key), createWriteStream(path));
      } catch (error) {
        if (error instanceof NotFoundInStorageError) return { missing: 'the call recording is missing from storage' };
        throw error;
      }
    }
    try {
      // the recording's own length, not the dialer's metadata: a clip must not run past the audio
      return { path, durationSeconds: (await probeAudio(path)).durationSeconds };
    } catch (error) {
      if (error instanceof UnreadableAudioError) return { missing: `the recording cannot be decoded: ${error.message}` };
      throw error;
    }
  }
}

function excerptOf(item: ItemSource, call: ExportCallSource | undefined): string {
  const segments = call?.transcript ? redactedSegments(call.transcript) : null;
  return formatExcerpt({ callId: item.callId, start: item.startSeconds, end: item.endSeconds }, segments && segmentsInSpan(segments, item.startSeconds, item.endSeconds));
}

/** The stored redacted segments; rows written before stored redaction are redacted here by the same rules. */
function redactedSegments(transcript: NonNullable<ExportCallSource['transcript']>): TranscriptSegment[] {
  return transcript.redactedSegments ?? redactTranscript(transcript.segments).segments;
}


function slug(name: string): string {
  return (
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'collection'
  );
}
