-- CreateEnum
CREATE TYPE "ComplaintCategory" AS ENUM ('unsolicited_marketing', 'content_violation', 'other');

-- CreateEnum
CREATE TYPE "AlertStatus" AS ENUM ('open', 'cleared');

-- AlterTable
ALTER TABLE "AgentDailyRollup" ADD COLUMN     "analysedCalls" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "autoFailedCalls" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "complaints" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "criticalFindings" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "csatCount" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "csatSum" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "deadAirMeasured" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "deadAirSum" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "dialFrequencyBreaches" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "handledCalls" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "intentCalls" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "interruptionsMeasured" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "interruptionsSum" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "missingDisclosureCalls" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "optedOutCalls" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "outOfHoursCalls" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "sales" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "talkRatioAdherent" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "talkRatioMeasured" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Evaluation" ADD COLUMN     "scorecardId" UUID;

-- AlterTable
ALTER TABLE "Scorecard" ADD COLUMN     "ownerCampaignId" UUID;

-- CreateTable
CREATE TABLE "CallRollupContribution" (
    "callId" UUID NOT NULL,
    "agentId" UUID NOT NULL,
    "day" DATE NOT NULL,
    "counters" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CallRollupContribution_pkey" PRIMARY KEY ("callId")
);

-- CreateTable
CREATE TABLE "CallOutcome" (
    "callId" UUID NOT NULL,
    "disposition" "Disposition",
    "intentConfirmed" BOOLEAN,
    "sale" BOOLEAN,
    "csat" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CallOutcome_pkey" PRIMARY KEY ("callId")
);

-- CreateTable
CREATE TABLE "CallComplaint" (
    "id" UUID NOT NULL,
    "callId" UUID NOT NULL,
    "category" "ComplaintCategory" NOT NULL,
    "note" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CallComplaint_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Alert" (
    "id" UUID NOT NULL,
    "thresholdId" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "entityKind" TEXT NOT NULL,
    "entityId" TEXT NOT NULL,
    "period" TEXT,
    "metric" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "sample" INTEGER,
    "op" TEXT NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,
    "message" TEXT NOT NULL,
    "status" "AlertStatus" NOT NULL DEFAULT 'open',
    "openKey" TEXT,
    "raisedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "clearedAt" TIMESTAMP(3),

    CONSTRAINT "Alert_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ThresholdSettings" (
    "id" TEXT NOT NULL,
    "rules" JSONB NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ThresholdSettings_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CallRollupContribution_agentId_day_idx" ON "CallRollupContribution"("agentId", "day");

-- CreateIndex
CREATE UNIQUE INDEX "CallComplaint_callId_category_key" ON "CallComplaint"("callId", "category");

-- CreateIndex
CREATE UNIQUE INDEX "Alert_openKey_key" ON "Alert"("openKey");

-- CreateIndex
CREATE INDEX "Alert_raisedAt_idx" ON "Alert"("raisedAt");

-- CreateIndex
CREATE INDEX "Alert_entityKind_entityId_idx" ON "Alert"("entityKind", "entityId");

-- CreateIndex
CREATE INDEX "AgentDailyRollup_day_idx" ON "AgentDailyRollup"("day");

-- CreateIndex
CREATE INDEX "Scorecard_ownerCampaignId_createdAt_idx" ON "Scorecard"("ownerCampaignId", "createdAt");
