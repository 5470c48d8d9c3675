-- AlterTable
ALTER TABLE "CallRollupContribution" ADD COLUMN     "campaignId" UUID;

-- CreateTable
CREATE TABLE "CampaignDailyRollup" (
    "campaignId" UUID NOT NULL,
    "day" DATE NOT NULL,
    "calls" INTEGER NOT NULL DEFAULT 0,
    "connectedCalls" INTEGER NOT NULL DEFAULT 0,
    "effectiveCalls" INTEGER NOT NULL DEFAULT 0,
    "earlyHangUps" INTEGER NOT NULL DEFAULT 0,
    "callsWithCritical" INTEGER NOT NULL DEFAULT 0,
    "findings" INTEGER NOT NULL DEFAULT 0,
    "scoredCalls" INTEGER NOT NULL DEFAULT 0,
    "analysedCalls" INTEGER NOT NULL DEFAULT 0,
    "handledCalls" INTEGER NOT NULL DEFAULT 0,
    "criticalFindings" INTEGER NOT NULL DEFAULT 0,
    "missingDisclosureCalls" INTEGER NOT NULL DEFAULT 0,
    "optedOutCalls" INTEGER NOT NULL DEFAULT 0,
    "outOfHoursCalls" INTEGER NOT NULL DEFAULT 0,
    "dialFrequencyBreaches" INTEGER NOT NULL DEFAULT 0,
    "complaints" INTEGER NOT NULL DEFAULT 0,
    "intentCalls" INTEGER NOT NULL DEFAULT 0,
    "sales" INTEGER NOT NULL DEFAULT 0,
    "csatCount" INTEGER NOT NULL DEFAULT 0,
    "autoFailedCalls" INTEGER NOT NULL DEFAULT 0,
    "talkRatioAdherent" INTEGER NOT NULL DEFAULT 0,
    "talkRatioMeasured" INTEGER NOT NULL DEFAULT 0,
    "interruptionsSum" INTEGER NOT NULL DEFAULT 0,
    "interruptionsMeasured" INTEGER NOT NULL DEFAULT 0,
    "deadAirSum" INTEGER NOT NULL DEFAULT 0,
    "deadAirMeasured" INTEGER NOT NULL DEFAULT 0,
    "handleSeconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "scoreSum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "csatSum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CampaignDailyRollup_pkey" PRIMARY KEY ("campaignId","day")
);
