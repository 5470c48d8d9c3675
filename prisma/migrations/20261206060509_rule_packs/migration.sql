-- CreateTable
CREATE TABLE "RulePack" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "system" BOOLEAN NOT NULL DEFAULT false,
    "language" TEXT NOT NULL,
    "description" TEXT,
    "forkedFrom" TEXT,
    "liveVersion" INTEGER,
    "draft" JSONB,
    "draftUpdatedBy" TEXT,
    "draftUpdatedAt" TIMESTAMP(3),
    "draftBacktest" JSONB,
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RulePack_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RulePackVersion" (
    "id" UUID NOT NULL,
    "packId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "semver" TEXT NOT NULL,
    "content" JSONB NOT NULL,
    "contentHash" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "publishedBy" TEXT NOT NULL,
    "publishedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RulePackVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CampaignRulePacks" (
    "campaignId" UUID NOT NULL,
    "packKeys" TEXT[],
    "updatedBy" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CampaignRulePacks_pkey" PRIMARY KEY ("campaignId")
);

-- CreateIndex
CREATE UNIQUE INDEX "RulePack_key_key" ON "RulePack"("key");

-- CreateIndex
CREATE UNIQUE INDEX "RulePackVersion_packId_number_key" ON "RulePackVersion"("packId", "number");

-- AddForeignKey
ALTER TABLE "RulePackVersion" ADD CONSTRAINT "RulePackVersion_packId_fkey" FOREIGN KEY ("packId") REFERENCES "RulePack"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Published versions are immutable: findings name them, audits diff them.
CREATE FUNCTION "rule_pack_version_immutable"() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'published rule pack versions are immutable';
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER "RulePackVersion_immutable" BEFORE UPDATE OR DELETE ON "RulePackVersion"
  FOR EACH ROW EXECUTE FUNCTION "rule_pack_version_immutable"();
