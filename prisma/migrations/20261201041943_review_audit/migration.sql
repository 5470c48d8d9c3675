-- CreateEnum
CREATE TYPE "FindingReviewAction" AS ENUM ('assigned', 'confirmed', 'dismissed');

-- CreateEnum
CREATE TYPE "EvaluationFeedbackKind" AS ENUM ('acknowledged', 'disputed', 'ruling');

-- CreateEnum
CREATE TYPE "EvaluationRuling" AS ENUM ('upheld', 'overturned');

-- AlterTable
ALTER TABLE "Finding" ADD COLUMN     "assignedAt" TIMESTAMP(3),
ADD COLUMN     "assignedTo" TEXT;

-- CreateTable
CREATE TABLE "FindingReview" (
    "id" UUID NOT NULL,
    "findingId" UUID NOT NULL,
    "callId" UUID NOT NULL,
    "action" "FindingReviewAction" NOT NULL,
    "actor" TEXT NOT NULL,
    "reviewer" TEXT,
    "reason" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FindingReview_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EvaluationFeedback" (
    "id" UUID NOT NULL,
    "callId" UUID NOT NULL,
    "kind" "EvaluationFeedbackKind" NOT NULL,
    "actor" TEXT NOT NULL,
    "reason" TEXT,
    "ruling" "EvaluationRuling",
    "score" DOUBLE PRECISION,
    "autoFailed" BOOLEAN,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EvaluationFeedback_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "FindingReview_findingId_at_idx" ON "FindingReview"("findingId", "at");

-- CreateIndex
CREATE INDEX "FindingReview_action_at_idx" ON "FindingReview"("action", "at");

-- CreateIndex
CREATE INDEX "EvaluationFeedback_callId_at_idx" ON "EvaluationFeedback"("callId", "at");

-- CreateIndex
CREATE INDEX "AuditEvent_entityType_entityId_id_idx" ON "AuditEvent"("entityType", "entityId", "id");

-- AddForeignKey
ALTER TABLE "FindingReview" ADD CONSTRAINT "FindingReview_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "Finding"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The audit log is append-only: no UPDATE, DELETE or TRUNCATE, whoever asks (a superuser can still
-- disable the trigger, which is why the entries are hash-chained and GET /v1/audit/verify exists).
CREATE FUNCTION "earshot_audit_event_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'AuditEvent is append-only: % is not allowed', TG_OP;
END;
$$;

CREATE TRIGGER "AuditEvent_no_update_delete" BEFORE UPDATE OR DELETE ON "AuditEvent"
  FOR EACH ROW EXECUTE FUNCTION "earshot_audit_event_append_only"();

CREATE TRIGGER "AuditEvent_no_truncate" BEFORE TRUNCATE ON "AuditEvent"
  FOR EACH STATEMENT EXECUTE FUNCTION "earshot_audit_event_append_only"();
