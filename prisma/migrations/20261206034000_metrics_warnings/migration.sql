-- AlterTable
ALTER TABLE "ConversationMetrics" ADD COLUMN     "metricsWarnings" JSONB;
