import type { FindingDraft } from '#libs/domain';
import { Prisma } from '../generated/prisma/client.js';
import type { SqlRunner } from '../sql-runner.js';

/**
 * Writes findings in one statement: `gone` (a DELETE on "Finding") runs beside an upsert of `items` by (call, dedupe
 * key) that keeps a kept finding's id, clip and review. One statement is atomic without an interactive transaction
 * (whose start waits on the pool under load), whatever the number of findings; the deleted and the upserted keys are
 * disjoint by construction. What the check stage and a re-check both write.
 */
export async function writeFindings(db: SqlRunner, gone: Prisma.Sql, items: readonly { callId: string; draft: FindingDraft }[]): Promise<void> {
  // one row per (call, dedupe key), the last as a sequence of upserts would leave it: a statement may not upsert a row twice
  const unique = [...new Map(items.map((item) => [`${item.callId}\n${item.draft.dedupeKey}`, item])).values()];
  const rows = unique.map(({ callId, draft }) => ({
    callId,
    dedupeKey: draft.dedupeKey,
    source: draft.source,
    ruleId: draft.ruleId,
    ruleVersion: draft.ruleVersion,
    family: draft.family ?? null,
    severity: draft.severity,
    dimension: draft.dimension,
    description: draft.description,
    evidenceText: draft.evidence?.text ?? null,
    segmentIndex: draft.evidence?.segmentIndex ?? null,
    charStart: draft.evidence?.charStart ?? null,
    charEnd: draft.evidence?.charEnd ?? null,
    startSeconds: draft.evidence?.startSeconds ?? null,
    endSeconds: draft.evidence?.endSeconds ?? null,
  }));
  await db.execute`
    WITH gone AS (${gone})
    INSERT INTO "Finding" (id, "callId", "dedupeKey", source, "ruleId", "ruleVersion", family, severity, dimension, description,
      "evidenceText", "segmentIndex", "charStart", "charEnd", "startSeconds", "endSeconds", "createdAt", "updatedAt")
    SELECT gen_random_uuid(), x."callId", x."dedupeKey", x.source::"FindingSource", x."ruleId", x."ruleVersion", x.family, x.severity::"Severity",
      x.dimension::"Dimension", x.description, x."evidenceText", x."segmentIndex", x."charStart", x."charEnd", x."startSeconds", x."endSeconds", now(), now()
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x("callId" uuid, "dedupeKey" text, source text, "ruleId" text, "ruleVersion" text,
      family text, severity text, dimension text, description text, "evidenceText" text, "segmentIndex" int, "charStart" int, "charEnd" int,
      "startSeconds" double precision, "endSeconds" double precision)
    ON CONFLICT ("callId", "dedupeKey") DO UPDATE SET source = EXCLUDED.source, "ruleId" = EXCLUDED."ruleId", "ruleVersion" = EXCLUDED."ruleVersion",
      family = EXCLUDED.family, severity = EXCLUDED.severity, dimension = EXCLUDED.dimension, description = EXCLUDED.description,
      "evidenceText" = EXCLUDED."evidenceText", "segmentIndex" = EXCLUDED."segmentIndex", "charStart" = EXCLUDED."charStart",
      "charEnd" = EXCLUDED."charEnd", "startSeconds" = EXCLUDED."startSeconds", "endSeconds" = EXCLUDED."endSeconds", "updatedAt" = now()`;
}
