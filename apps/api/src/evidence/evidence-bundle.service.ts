import { createHash } from 'node:crypto';
import { type Readable, Transform } from 'node:stream';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { type EvidenceRecord, AuditRepository, EvidenceRepository } from '#libs/db';
import { type ManifestFile, type StreamedZipEntry, type ZipEntry, manifestOf, sha256Hex, streamZip } from '#libs/export';
import { OBJECT_STORAGE, type ObjectStorage, readWholeObject } from '#libs/storage';
import { NotFoundError } from '../common/not-found.error.js';
import { audioExtensionOf } from '#libs/domain';

export const MANIFEST_NAME = 'manifest.json';

/** Whether the bundle carries the recording, and why not when it does not. */
export type RecordingInBundle =
  | { included: true; file: string; sha256: string }
  | { included: false; reason: 'deleted by retention'; deletedAt: string }
  | { included: false; reason: 'missing from storage'; key: string };

export interface EvidenceManifest {
  callId: string;
  generatedAt: string;
  generatedBy: string;
  recording: RecordingInBundle;
  /** every other file of the bundle with its size and sha256 */
  files: ManifestFile[];
}

export interface EvidenceBundle {
  fileName: string;
  /** the zip, streamed: the recording is read from storage as it is sent, never held in memory */
  zip: Readable;
  manifest: EvidenceManifest;
  manifestSha256: string;
}

/**
 * A call's evidence bundle: the recording (unless retention deleted it), the unredacted transcript, findings and
 * their clips, the evaluation, reviews and disputes, the audit entries and the call's metadata, with a manifest of
 * every file's sha256. The export itself is audited (with the manifest's sha256) before the bundle is handed out.
 */
@Injectable()
export class EvidenceBundleService {
  private readonly logger = new Logger(EvidenceBundleService.name);

  constructor(
    private readonly evidence: EvidenceRepository,
    private readonly audit: AuditRepository,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  async build(callId: string, generatedBy: string): Promise<EvidenceBundle> {
    const record = await this.evidence.load(callId);
    if (!record) throw new NotFoundError('call', callId);
    const generatedAt = new Date();
    const { entries, streamed, recording } = await this.files(record);
    // call.json, the recording, then the rest, as before the recording was streamed
    const [callJson, ...rest] = entries;
    const files = [...manifestOf([callJson]), ...streamed.map((entry) => entry.manifest), ...manifestOf(rest)];
    const manifest: EvidenceManifest = { callId, generatedAt: generatedAt.toISOString(), generatedBy, recording, files };
    const manifestBytes = json(manifest);
    const manifestSha256 = sha256Hex(manifestBytes);
    await this.audit.append({
      actor: generatedBy,
      action: 'evidence.exported',
      entityType: 'call',
      entityId: callId,
      details: { manifestSha256, files: manifest.files.length, recordingIncluded: recording.included },
    });
    const zip = streamZip([callJson, ...streamed.map((entry) => entry.zip), ...rest, { name: MANIFEST_NAME, data: manifestBytes }], generatedAt);
    return { fileName: `evidence-${callId}.zip`, zip, manifest, manifestSha256 };
  }

  private async files(record: EvidenceRecord): Promise<{ entries: ZipEntry[]; streamed: { zip: StreamedZipEntry; manifest: ManifestFile }[]; recording: RecordingInBundle }> {
    const { call } = record;
    const entries: ZipEntry[] = [{ name: 'call.json', data: json(call) }];
    const streamed: { zip: StreamedZipEntry; manifest: ManifestFile }[] = [];
    let recording: RecordingInBundle;
    const stored = call.audioDeletedAt ? null : await this.storage.stat(call.audioKey);
    if (call.audioDeletedAt) {
      recording = { included: false, reason: 'deleted by retention', deletedAt: call.audioDeletedAt.toISOString() };
    } else if (stored) {
      // the recording is streamed, so its sha256 is the one taken at upload; the bytes sent are checked against it
      const file = `recording.${audioExtensionOf(call.audioContentType)}`;
      const open = async () => this.checkedAgainst(await this.storage.get(call.audioKey), call.audioSha256, call.id);
      streamed.push({ zip: { name: file, size: stored.size, open }, manifest: { name: file, bytes: stored.size, sha256: call.audioSha256 } });
      recording = { included: true, file, sha256: call.audioSha256 };
    } else {
      recording = { included: false, reason: 'missing from storage', key: call.audioKey };
    }
    entries.push(
      { name: 'transcript.json', data: json(record.transcript) },
      { name: 'findings.json', data: json(record.findings) },
      { name: 'evaluation.json', data: json(record.evaluation) },
      { name: 'reviews.json', data: json({ findingReviews: record.findingReviews, evaluationFeedback: record.evaluationFeedback }) },
      { name: 'audit.json', data: json(record.audit) },
    );
    for (const finding of record.findings) {
      if (!finding.clipKey) continue;
      const clip = await readWholeObject(this.storage, finding.clipKey);
      if (clip) entries.push({ name: `clips/${finding.id}.${finding.clipKey.split('.').at(-1) ?? 'mp3'}`, data: clip });
    }
    return { entries, streamed, recording };
  }

  /** The stream, failing (so the download breaks rather than carries altered bytes) if its sha256 is not the expected one. */
  private checkedAgainst(source: Readable, expectedSha256: string, callId: string): Readable {
    const hash = createHash('sha256');
    const checked = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        done(null, chunk);
      },
      flush: (done) => {
        const actual = hash.digest('hex');
        if (actual === expectedSha256) return done();
        this.logger.error(`evidence bundle of call ${callId}: the stored recording's sha256 ${actual} is not the uploaded ${expectedSha256}`);
        done(new Error('the stored recording does not match its sha256 taken at upload'));
      },
    });
    source.on('error', (error) => checked.destroy(error));
    return source.pipe(checked);
  }
}

function json(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}
