-- A call's row is rewritten once per pipeline stage (currentStage, updatedAt: no indexed column changes). Room left on
-- each page lets Postgres write the new version beside the old one (a HOT update) instead of on another page with an
-- entry in each of the table's seven indexes. Prisma's schema has no word for a table's storage parameters.
ALTER TABLE "Call" SET (fillfactor = 70);
