-- AlterTable
ALTER TABLE "AgentDailyRollup" ADD COLUMN     "callsWithPendingCritical" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "intentSales" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "timeZone" TEXT;

-- AlterTable
ALTER TABLE "CampaignDailyRollup" ADD COLUMN     "callsWithPendingCritical" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "intentSales" INTEGER NOT NULL DEFAULT 0;
