-- CreateEnum
CREATE TYPE "AgentChannel" AS ENUM ('left', 'right');

-- CreateEnum
CREATE TYPE "CallDirection" AS ENUM ('inbound', 'outbound');

-- CreateEnum
CREATE TYPE "ChannelLayout" AS ENUM ('mono', 'stereo');

-- CreateEnum
CREATE TYPE "CallStatus" AS ENUM ('queued', 'processing', 'completed', 'failed');

-- CreateEnum
CREATE TYPE "Disposition" AS ENUM ('connected', 'no_answer', 'busy', 'abandoned', 'voicemail');

-- CreateEnum
CREATE TYPE "RolesSource" AS ENUM ('channel', 'diarization', 'sidecar', 'none');

-- CreateEnum
CREATE TYPE "FindingSource" AS ENUM ('rule', 'metadata', 'llm');

-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('critical', 'major', 'minor');

-- CreateEnum
CREATE TYPE "Dimension" AS ENUM ('compliance', 'efficiency', 'conversion', 'experience');

-- CreateEnum
CREATE TYPE "ReviewState" AS ENUM ('pending', 'confirmed', 'dismissed');

-- CreateEnum
CREATE TYPE "OptOutSource" AS ENUM ('import', 'call_detected', 'sms_unsubscribe', 'manual');

-- CreateTable
CREATE TABLE "Team" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Team_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Group" (
    "id" UUID NOT NULL,
    "teamId" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Group_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Agent" (
    "id" UUID NOT NULL,
    "externalId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "groupId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Agent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Campaign" (
    "id" UUID NOT NULL,
    "externalId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "language" TEXT,
    "rulePacks" TEXT[],
    "talkRatioAgentTarget" DOUBLE PRECISION NOT NULL DEFAULT 0.3,
    "talkRatioTolerance" DOUBLE PRECISION NOT NULL DEFAULT 0.1,
    "agentChannel" "AgentChannel" NOT NULL DEFAULT 'left',
    "scorecardId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Scorecard" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "criteria" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Scorecard_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Call" (
    "id" UUID NOT NULL,
    "externalId" TEXT,
    "agentId" UUID,
    "campaignId" UUID,
    "customerPhone" TEXT NOT NULL,
    "direction" "CallDirection" NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "timeZone" TEXT,
    "durationSeconds" DOUBLE PRECISION,
    "disposition" "Disposition",
    "channelLayout" "ChannelLayout" NOT NULL,
    "language" TEXT,
    "audioKey" TEXT NOT NULL,
    "audioSha256" TEXT NOT NULL,
    "audioBytes" INTEGER NOT NULL,
    "audioContentType" TEXT NOT NULL,
    "sidecarKey" TEXT,
    "status" "CallStatus" NOT NULL DEFAULT 'queued',
    "currentStage" TEXT,
    "failedStage" TEXT,
    "failureReason" TEXT,
    "completedAt" TIMESTAMP(3),
    "rolledUpAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Call_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Transcript" (
    "callId" UUID NOT NULL,
    "provider" TEXT NOT NULL,
    "model" TEXT,
    "language" TEXT,
    "rolesSource" "RolesSource" NOT NULL,
    "segments" JSONB NOT NULL,
    "usage" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Transcript_pkey" PRIMARY KEY ("callId")
);

-- CreateTable
CREATE TABLE "ConversationMetrics" (
    "callId" UUID NOT NULL,
    "source" TEXT NOT NULL,
    "durationSeconds" DOUBLE PRECISION NOT NULL,
    "agentTalkShare" DOUBLE PRECISION,
    "customerTalkShare" DOUBLE PRECISION,
    "silenceShare" DOUBLE PRECISION,
    "overlapSeconds" DOUBLE PRECISION,
    "agentInterruptions" INTEGER,
    "customerInterruptions" INTEGER,
    "longestAgentMonologue" DOUBLE PRECISION,
    "longestCustomerTurn" DOUBLE PRECISION,
    "deadAirCount" INTEGER,
    "speechRateWpm" DOUBLE PRECISION,
    "talkRatioWithinTarget" BOOLEAN,
    "earlyHangUp" BOOLEAN NOT NULL,
    "effectiveCall" BOOLEAN NOT NULL,
    "unavailable" JSONB,
    "details" JSONB,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ConversationMetrics_pkey" PRIMARY KEY ("callId")
);

-- CreateTable
CREATE TABLE "Finding" (
    "id" UUID NOT NULL,
    "callId" UUID NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "source" "FindingSource" NOT NULL,
    "ruleId" TEXT NOT NULL,
    "ruleVersion" TEXT NOT NULL,
    "family" TEXT,
    "severity" "Severity" NOT NULL,
    "dimension" "Dimension" NOT NULL,
    "description" TEXT NOT NULL,
    "evidenceText" TEXT,
    "segmentIndex" INTEGER,
    "charStart" INTEGER,
    "charEnd" INTEGER,
    "startSeconds" DOUBLE PRECISION,
    "endSeconds" DOUBLE PRECISION,
    "clipKey" TEXT,
    "reviewState" "ReviewState" NOT NULL DEFAULT 'pending',
    "reviewedBy" TEXT,
    "reviewedAt" TIMESTAMP(3),
    "reviewReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Finding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Evaluation" (
    "id" UUID NOT NULL,
    "callId" UUID NOT NULL,
    "scorecardName" TEXT NOT NULL,
    "scorecardVersion" INTEGER NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "autoFailed" BOOLEAN NOT NULL,
    "criteria" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Evaluation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgentDailyRollup" (
    "agentId" UUID NOT NULL,
    "day" DATE NOT NULL,
    "calls" INTEGER NOT NULL DEFAULT 0,
    "connectedCalls" INTEGER NOT NULL DEFAULT 0,
    "effectiveCalls" INTEGER NOT NULL DEFAULT 0,
    "earlyHangUps" INTEGER NOT NULL DEFAULT 0,
    "callsWithCritical" INTEGER NOT NULL DEFAULT 0,
    "findings" INTEGER NOT NULL DEFAULT 0,
    "handleSeconds" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "scoreSum" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "scoredCalls" INTEGER NOT NULL DEFAULT 0,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AgentDailyRollup_pkey" PRIMARY KEY ("agentId","day")
);

-- CreateTable
CREATE TABLE "OptOut" (
    "id" UUID NOT NULL,
    "phone" TEXT NOT NULL,
    "source" "OptOutSource" NOT NULL,
    "sourceCallId" UUID,
    "evidence" TEXT,
    "effectiveAt" TIMESTAMP(3) NOT NULL,
    "removedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OptOut_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" TEXT,
    "details" JSONB,
    "prevHash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Team_name_key" ON "Team"("name");

-- CreateIndex
CREATE UNIQUE INDEX "Group_teamId_name_key" ON "Group"("teamId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Agent_externalId_key" ON "Agent"("externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Campaign_externalId_key" ON "Campaign"("externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Scorecard_name_version_key" ON "Scorecard"("name", "version");

-- CreateIndex
CREATE UNIQUE INDEX "Call_externalId_key" ON "Call"("externalId");

-- CreateIndex
CREATE UNIQUE INDEX "Call_audioSha256_key" ON "Call"("audioSha256");

-- CreateIndex
CREATE INDEX "Call_status_createdAt_idx" ON "Call"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Call_agentId_startedAt_idx" ON "Call"("agentId", "startedAt");

-- CreateIndex
CREATE INDEX "Call_campaignId_startedAt_idx" ON "Call"("campaignId", "startedAt");

-- CreateIndex
CREATE INDEX "Call_customerPhone_startedAt_idx" ON "Call"("customerPhone", "startedAt");

-- CreateIndex
CREATE INDEX "Call_createdAt_id_idx" ON "Call"("createdAt", "id");

-- CreateIndex
CREATE INDEX "Finding_reviewState_severity_createdAt_idx" ON "Finding"("reviewState", "severity", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Finding_callId_dedupeKey_key" ON "Finding"("callId", "dedupeKey");

-- CreateIndex
CREATE UNIQUE INDEX "Evaluation_callId_key" ON "Evaluation"("callId");

-- CreateIndex
CREATE INDEX "OptOut_phone_effectiveAt_idx" ON "OptOut"("phone", "effectiveAt");

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_hash_key" ON "AuditEvent"("hash");

-- AddForeignKey
ALTER TABLE "Group" ADD CONSTRAINT "Group_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Agent" ADD CONSTRAINT "Agent_groupId_fkey" FOREIGN KEY ("groupId") REFERENCES "Group"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Campaign" ADD CONSTRAINT "Campaign_scorecardId_fkey" FOREIGN KEY ("scorecardId") REFERENCES "Scorecard"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Call" ADD CONSTRAINT "Call_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Call" ADD CONSTRAINT "Call_campaignId_fkey" FOREIGN KEY ("campaignId") REFERENCES "Campaign"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Transcript" ADD CONSTRAINT "Transcript_callId_fkey" FOREIGN KEY ("callId") REFERENCES "Call"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ConversationMetrics" ADD CONSTRAINT "ConversationMetrics_callId_fkey" FOREIGN KEY ("callId") REFERENCES "Call"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Finding" ADD CONSTRAINT "Finding_callId_fkey" FOREIGN KEY ("callId") REFERENCES "Call"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Evaluation" ADD CONSTRAINT "Evaluation_callId_fkey" FOREIGN KEY ("callId") REFERENCES "Call"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgentDailyRollup" ADD CONSTRAINT "AgentDailyRollup_agentId_fkey" FOREIGN KEY ("agentId") REFERENCES "Agent"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
