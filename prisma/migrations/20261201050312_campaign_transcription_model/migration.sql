-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "transcriptionModel" TEXT;
