-- CreateEnum
CREATE TYPE "RuleBacktestStatus" AS ENUM ('running', 'completed', 'cancelled', 'failed');

-- CreateTable
CREATE TABLE "RuleBacktestRun" (
    "id" UUID NOT NULL,
    "packKey" TEXT NOT NULL,
    "status" "RuleBacktestStatus" NOT NULL DEFAULT 'running',
    "processed" INTEGER NOT NULL DEFAULT 0,
    "limit" INTEGER NOT NULL,
    "request" JSONB NOT NULL,
    "result" JSONB,
    "error" TEXT,
    "requestedBy" TEXT NOT NULL,
    "cancelRequestedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RuleBacktestRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RuleBacktestRun_packKey_createdAt_idx" ON "RuleBacktestRun"("packKey", "createdAt");
