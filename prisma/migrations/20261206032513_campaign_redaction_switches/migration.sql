-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "redactionOff" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "redactionOn" TEXT[] DEFAULT ARRAY[]::TEXT[];
