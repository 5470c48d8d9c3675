-- AlterTable
ALTER TABLE "Transcript" ADD COLUMN     "rolesConfidence" DOUBLE PRECISION;
