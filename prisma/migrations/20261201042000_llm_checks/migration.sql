-- CreateEnum
CREATE TYPE "LlmCheckStatus" AS ENUM ('completed', 'skipped', 'failed');

-- CreateTable
CREATE TABLE "LlmCheckRun" (
    "callId" UUID NOT NULL,
    "status" "LlmCheckStatus" NOT NULL,
    "reason" TEXT,
    "model" TEXT,
    "questionsAsked" INTEGER NOT NULL DEFAULT 0,
    "cacheHits" INTEGER NOT NULL DEFAULT 0,
    "discardedAnswers" INTEGER NOT NULL DEFAULT 0,
    "inputTokens" INTEGER NOT NULL DEFAULT 0,
    "outputTokens" INTEGER NOT NULL DEFAULT 0,
    "costUsd" DOUBLE PRECISION,
    "redactions" INTEGER NOT NULL DEFAULT 0,
    "answers" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LlmCheckRun_pkey" PRIMARY KEY ("callId")
);

-- CreateTable
CREATE TABLE "LlmAnswerCache" (
    "id" UUID NOT NULL,
    "transcriptHash" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "promptVersion" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "answer" JSONB NOT NULL,
    "inputTokens" INTEGER NOT NULL,
    "outputTokens" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LlmAnswerCache_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "LlmAnswerCache_transcriptHash_questionId_promptVersion_mode_key" ON "LlmAnswerCache"("transcriptHash", "questionId", "promptVersion", "model");

-- AddForeignKey
ALTER TABLE "LlmCheckRun" ADD CONSTRAINT "LlmCheckRun_callId_fkey" FOREIGN KEY ("callId") REFERENCES "Call"("id") ON DELETE CASCADE ON UPDATE CASCADE;
