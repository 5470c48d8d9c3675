import { Inject, Injectable } from '@nestjs/common';
import { type EvidenceRecord, AuditRepository, EvidenceRepository } from '#libs/db';
import { type ManifestFile, type ZipEntry, buildZip, manifestOf, sha256Hex } from '#libs/export';
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
  zip: Buffer;
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
  constructor(
    private readonly evidence: EvidenceRepository,
    private readonly audit: AuditRepository,
    @Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage,
  ) {}

  async build(callId: string, generatedBy: string): Promise<EvidenceBundle> {
    const record = await this.evidence.load(callId);
    if (!record) throw new NotFoundError('call', callId);
    const generatedAt = new Date();
    const { entries, recording } = await this.files(record);
    const manifest: EvidenceManifest = { callId, generatedAt: generatedAt.toISOString(), generatedBy, recording, files: manifestOf(entries) };
    const manifestBytes = json(manifest);
    const manifestSha256 = sha256Hex(manifestBytes);
    const zip = await buildZip([...entries, { name: MANIFEST_NAME, data: manifestBytes }], generatedAt);
    await this.audit.append({
      actor: generatedBy,
      action: 'evidence.exported',
      entityType: 'call',
      entityId: callId,
      details: { manifestSha256, files: manifest.files.length, recordingIncluded: recording.included, zipSha256: sha256Hex(zip) },
    });
    return { fileName: `evidence-${callId}.zip`, zip, manifest, manifestSha256 };
  }

  private async files(record: EvidenceRecord): Promise<{ entries: ZipEntry[]; recording: RecordingInBundle }> {
    const { call } = record;
    const entries: ZipEntry[] = [{ name: 'call.json', data: json(call) }];
    let recording: RecordingInBundle;
    if (call.audioDeletedAt) {
      recording = { included: false, reason: 'deleted by retention', deletedAt: call.audioDeletedAt.toISOString() };
    } else {
      const audio = await readWholeObject(this.storage, call.audioKey);
      if (audio) {
        const file = `recording.${audioExtensionOf(call.audioContentType)}`;
        entries.push({ name: file, data: audio });
        recording = { included: true, file, sha256: sha256Hex(audio) };
      } else {
        recording = { included: false, reason: 'missing from storage', key: call.audioKey };
      }
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
    return { entries, recording };
  }

}

function json(value: unknown): Buffer {
  return Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8');
}
