-- CreateEnum
CREATE TYPE "VadDetector" AS ENUM ('energy', 'silero');

-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "vadDetector" "VadDetector" NOT NULL DEFAULT 'energy';
