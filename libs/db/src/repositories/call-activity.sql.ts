import { Prisma } from '../generated/prisma/client.js';
import type { AgentCallActivity } from './rollup.repository.js';

// Shared by the agent and level activity reads; not exported from the lib.
export interface ActivityRow {
  startedAt: Date;
  durationSeconds: number;
  effective: boolean;
}

/** A call's start, duration and effectiveness: the rollup's verdict when it was rolled up, else its metrics'. */
export const ACTIVITY_COLUMNS = Prisma.sql`c."startedAt" AS "startedAt",
  coalesce(c."durationSeconds", m."durationSeconds", 0)::float8 AS "durationSeconds",
  coalesce((rc.counters->>'effectiveCalls')::float8 > 0, m."effectiveCall", coalesce(c."durationSeconds", 0) >= 120) AS effective`;
export const ACTIVITY_FROM = Prisma.sql`FROM "Call" c
  LEFT JOIN "CallRollupContribution" rc ON rc."callId" = c.id
  LEFT JOIN "ConversationMetrics" m ON m."callId" = c.id`;

export function activityOf(row: ActivityRow): AgentCallActivity {
  return { startedAt: row.startedAt, durationSeconds: Number(row.durationSeconds), effective: Boolean(row.effective) };
}

