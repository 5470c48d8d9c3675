-- AlterTable
ALTER TABLE "Transcript" ADD COLUMN     "searchSegments" TEXT,
ADD COLUMN     "searchText" TEXT,
ADD COLUMN     "searchVersion" INTEGER;
