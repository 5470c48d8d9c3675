-- CreateTable
CREATE TABLE "LlmQuestionDef" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "system" BOOLEAN NOT NULL DEFAULT false,
    "campaignId" UUID,
    "forkedFrom" TEXT,
    "liveVersion" INTEGER,
    "draft" JSONB,
    "draftUpdatedBy" TEXT,
    "draftUpdatedAt" TIMESTAMP(3),
    "draftTest" JSONB,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "LlmQuestionDef_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LlmQuestionVersion" (
    "id" UUID NOT NULL,
    "questionId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "content" JSONB NOT NULL,
    "contentHash" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "publishedBy" TEXT NOT NULL,
    "publishedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LlmQuestionVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CampaignLlmSettings" (
    "campaignId" UUID NOT NULL,
    "disabledQuestions" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "dailyCostCeilingUsd" DOUBLE PRECISION,
    "updatedBy" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CampaignLlmSettings_pkey" PRIMARY KEY ("campaignId")
);

-- CreateIndex
CREATE UNIQUE INDEX "LlmQuestionDef_key_key" ON "LlmQuestionDef"("key");

-- CreateIndex
CREATE INDEX "LlmQuestionDef_campaignId_idx" ON "LlmQuestionDef"("campaignId");

-- CreateIndex
CREATE UNIQUE INDEX "LlmQuestionVersion_questionId_number_key" ON "LlmQuestionVersion"("questionId", "number");

-- AddForeignKey
ALTER TABLE "LlmQuestionVersion" ADD CONSTRAINT "LlmQuestionVersion_questionId_fkey" FOREIGN KEY ("questionId") REFERENCES "LlmQuestionDef"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Published question versions are immutable: answers name them, audits diff them.
CREATE FUNCTION "llm_question_version_immutable"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'published LLM question versions are immutable';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER "LlmQuestionVersion_immutable" BEFORE UPDATE OR DELETE ON "LlmQuestionVersion"
  FOR EACH ROW EXECUTE FUNCTION "llm_question_version_immutable"();
