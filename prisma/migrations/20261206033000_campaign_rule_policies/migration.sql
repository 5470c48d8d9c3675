-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "rulePolicies" TEXT[] DEFAULT ARRAY[]::TEXT[];
