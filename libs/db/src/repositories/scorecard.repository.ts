import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client.js';
import { batchedReads, lowerCase } from '../group-commit.js';
import { PrismaService } from '../prisma.service.js';
import type { StoredCampaign } from './campaign.repository.js';
import { isUuid } from '#libs/domain';

export interface StoredScorecard {
  id: string;
  name: string;
  version: number;
  /** as stored; callers validate it (libs/scoring parseScorecard) */
  criteria: unknown;
  ownerCampaignId: string | null;
  createdAt: Date;
}

/** What scorecard reads need of a campaign (CampaignRepository.find returns it). */
export type CampaignRef = Pick<StoredCampaign, 'id' | 'externalId' | 'name' | 'scorecardId'>;


function present(row: { id: string; name: string; version: number; criteria: unknown; ownerCampaignId: string | null; createdAt: Date }): StoredScorecard {
  return { id: row.id, name: row.name, version: row.version, criteria: row.criteria, ownerCampaignId: row.ownerCampaignId, createdAt: row.createdAt };
}

/** Versioned scorecards; a campaign points at its current version. Versions are never changed once written. */
@Injectable()
export class ScorecardRepository {
  // every call's score stage asks: one query for concurrent jobs (see batchedReads), with the campaign joined
  private readonly currentScorecards = batchedReads<string, StoredScorecard>(async (campaignIds) => {
    const rows = await this.prisma.sql.query<(Parameters<typeof present>[0] & { campaignId: string })[]>`
      SELECT c.id::text AS "campaignId", s.id, s.name, s.version, s.criteria, s."ownerCampaignId", s."createdAt"
      FROM "Campaign" c JOIN "Scorecard" s ON s.id = c."scorecardId" WHERE c.id IN (SELECT jsonb_array_elements_text(${JSON.stringify(campaignIds)}::jsonb)::uuid)`;
    return new Map(rows.map((row) => [row.campaignId, present(row)]));
  }, lowerCase);

  constructor(private readonly prisma: PrismaService) {}

  /**
   * Writes the next version of `name` (1 + the highest so far) and makes it the campaign's current scorecard.
   */
  async createVersion(campaignId: string, name: string, criteria: Prisma.InputJsonValue): Promise<StoredScorecard> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.prisma.client.$transaction(async (tx) => {
          const latest = await tx.scorecard.aggregate({ where: { name }, _max: { version: true } });
          const row = await tx.scorecard.create({
            data: { name, version: (latest._max.version ?? 0) + 1, criteria, ownerCampaignId: campaignId },
          });
          await tx.campaign.update({ where: { id: campaignId }, data: { scorecardId: row.id } });
          return present(row);
        });
      } catch (error) {
        // Two writers took the same next version: the unique (name, version) refused one; it tries again.
        const conflict = error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
        if (!conflict || attempt >= 3) throw error;
      }
    }
  }

  /** The campaign's versions (and the current one, when shared), newest first. */
  async listForCampaign(campaign: CampaignRef): Promise<StoredScorecard[]> {
    const rows = await this.prisma.client.scorecard.findMany({
      where: { OR: [{ ownerCampaignId: campaign.id }, ...(campaign.scorecardId ? [{ id: campaign.scorecardId }] : [])] },
      orderBy: [{ createdAt: 'desc' }, { version: 'desc' }],
    });
    return rows.map(present);
  }

  async findById(id: string): Promise<StoredScorecard | null> {
    if (!isUuid(id)) return null;
    const row = await this.prisma.client.scorecard.findUnique({ where: { id } });
    return row ? present(row) : null;
  }

  /** The scorecard the campaign's calls are scored on now; null: the built-in default. */
  async currentForCampaign(campaignId: string): Promise<StoredScorecard | null> {
    return this.currentScorecards.submit(campaignId);
  }
}
