import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service.js';

export interface FindingClipRef {
  findingId: string;
  callId: string;
  /** null until the clip stage has cut it, and for good when the finding has no time span */
  clipKey: string | null;
  timed: boolean;
  /** when retention deleted the call's recording (and the clips of unconfirmed findings) */
  recordingDeletedAt: Date | null;
}

/** Read model of the media endpoints: where a finding's clip lives. */
@Injectable()
export class MediaRepository {
  constructor(private readonly prisma: PrismaService) {}

  async findFindingClip(findingId: string): Promise<FindingClipRef | null> {
    const row = await this.prisma.client.finding.findUnique({
      where: { id: findingId },
      select: { id: true, callId: true, clipKey: true, startSeconds: true, call: { select: { audioDeletedAt: true } } },
    });
    return row
      ? { findingId: row.id, callId: row.callId, clipKey: row.clipKey, timed: row.startSeconds !== null, recordingDeletedAt: row.call.audioDeletedAt }
      : null;
  }
}
