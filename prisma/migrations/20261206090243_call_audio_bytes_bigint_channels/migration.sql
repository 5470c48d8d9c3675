-- AlterTable
ALTER TABLE "Call" ADD COLUMN     "audioChannels" INTEGER,
ALTER COLUMN "audioBytes" SET DATA TYPE BIGINT;
