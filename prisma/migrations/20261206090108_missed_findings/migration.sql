-- CreateTable
CREATE TABLE "MissedFinding" (
    "id" UUID NOT NULL,
    "callId" UUID NOT NULL,
    "source" "FindingSource" NOT NULL,
    "ruleId" TEXT NOT NULL,
    "quote" TEXT NOT NULL,
    "segmentIndex" INTEGER,
    "startSeconds" DOUBLE PRECISION,
    "endSeconds" DOUBLE PRECISION,
    "note" TEXT,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MissedFinding_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "MissedFinding_callId_idx" ON "MissedFinding"("callId");

-- CreateIndex
CREATE INDEX "MissedFinding_ruleId_createdAt_idx" ON "MissedFinding"("ruleId", "createdAt");

-- AddForeignKey
ALTER TABLE "MissedFinding" ADD CONSTRAINT "MissedFinding_callId_fkey" FOREIGN KEY ("callId") REFERENCES "Call"("id") ON DELETE CASCADE ON UPDATE CASCADE;
