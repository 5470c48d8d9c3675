import { Injectable } from '@nestjs/common';
import { PrismaService } from '../prisma.service.js';
import { isUuid } from '#libs/domain';

export interface CampaignSettings {
  name: string;
  language: string | null;
  /** the agent's target share of talk time, 0..1 (0.3 = agent 30 : customer 70) */
  talkRatioAgentTarget: number;
  talkRatioTolerance: number;
  agentChannel: 'left' | 'right';
  vadDetector: 'energy' | 'silero';
  /** null: the deployment's TRANSCRIPTION_MODEL */
  transcriptionModel: string | null;
  /** days a recording is kept after the call; null keeps it forever */
  retentionDays: number | null;
  /** IANA zone whose midnight cuts this campaign's calls into dashboard days; null: the organisation's */
  timeZone: string | null;
  /** redaction kinds added to, and exempted from, the deployment's REDACTION_KINDS for this campaign's calls */
  redactionOn: string[];
  redactionOff: string[];
  /** opt-in rule policies for this campaign's calls (libs/rules RULE_POLICIES) */
  rulePolicies: string[];
}

export interface StoredCampaign extends CampaignSettings {
  id: string;
  externalId: string;
  scorecardId: string | null;
  createdAt: Date;
}


const SELECT = {
  id: true,
  externalId: true,
  name: true,
  language: true,
  talkRatioAgentTarget: true,
  talkRatioTolerance: true,
  agentChannel: true,
  vadDetector: true,
  transcriptionModel: true,
  retentionDays: true,
  timeZone: true,
  redactionOn: true,
  redactionOff: true,
  rulePolicies: true,
  scorecardId: true,
  createdAt: true,
} as const;

/** Campaign settings the stages read: talk-ratio target, which stereo channel is the agent, the VAD detector. */
@Injectable()
export class CampaignRepository {
  constructor(private readonly prisma: PrismaService) {}

  async list(): Promise<StoredCampaign[]> {
    return this.prisma.client.campaign.findMany({ select: SELECT, orderBy: { externalId: 'asc' } });
  }

  /** By id or external id. */
  async find(ref: string): Promise<StoredCampaign | null> {
    return this.prisma.client.campaign.findFirst({
      where: isUuid(ref) ? { OR: [{ id: ref }, { externalId: ref }] } : { externalId: ref },
      select: SELECT,
    });
  }

  /** Creates the campaign (unset settings take their defaults) or changes the given settings; `created` says which. */
  async save(externalId: string, settings: Partial<CampaignSettings>): Promise<{ campaign: StoredCampaign; created: boolean }> {
    const given = Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as Partial<CampaignSettings>;
    const inserted = await this.prisma.client.campaign.createMany({
      data: [{ externalId, name: externalId, rulePacks: [], ...given }],
      skipDuplicates: true,
    });
    const campaign =
      inserted.count === 1
        ? await this.prisma.client.campaign.findUniqueOrThrow({ where: { externalId }, select: SELECT })
        : await this.prisma.client.campaign.update({ where: { externalId }, data: given, select: SELECT });
    return { campaign, created: inserted.count === 1 };
  }
}
