import { Injectable } from '@nestjs/common';
import type { InputJsonValue } from '../generated/prisma/internal/prismaNamespace.js';
import { PrismaService } from '../prisma.service.js';
import { type KeysetCursor, keysetBefore, NEWEST_FIRST } from './keyset-page.js';

export type WebhookDeliveryState = 'pending' | 'delivered' | 'failed';

export interface WebhookAttempt {
  at: string;
  statusCode?: number;
  error?: string;
  durationMs: number;
}

export interface WebhookDeliveryRecord {
  id: string;
  eventId: string;
  eventType: string;
  url: string;
  payload: unknown;
  status: WebhookDeliveryState;
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  attemptLog: WebhookAttempt[];
  deliveredAt: Date | null;
  createdAt: Date;
}

export interface NewWebhookDelivery {
  eventId: string;
  eventType: string;
  url: string;
  payload: unknown;
}

/** The delivery log of outgoing webhooks: one row per event, every attempt appended. */
@Injectable()
export class WebhookDeliveryRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Creates the delivery of an event, or returns the one that exists (same eventId): emitting twice sends once. */
  async createOrGet(input: NewWebhookDelivery): Promise<{ delivery: WebhookDeliveryRecord; created: boolean }> {
    const existing = await this.prisma.client.webhookDelivery.findUnique({ where: { eventId: input.eventId } });
    if (existing) return { delivery: toRecord(existing), created: false };
    try {
      const row = await this.prisma.client.webhookDelivery.create({
        data: { eventId: input.eventId, eventType: input.eventType, url: input.url, payload: input.payload as InputJsonValue },
      });
      return { delivery: toRecord(row), created: true };
    } catch (error) {
      const winner = await this.prisma.client.webhookDelivery.findUnique({ where: { eventId: input.eventId } });
      if (winner) return { delivery: toRecord(winner), created: false };
      throw error;
    }
  }

  /** The deliveries of these events (those that exist). */
  async findByEventIds(eventIds: string[]): Promise<WebhookDeliveryRecord[]> {
    if (eventIds.length === 0) return [];
    const rows = await this.prisma.client.webhookDelivery.findMany({ where: { eventId: { in: eventIds } } });
    return rows.map(toRecord);
  }

  async findById(id: string): Promise<WebhookDeliveryRecord | null> {
    const row = await this.prisma.client.webhookDelivery.findUnique({ where: { id } });
    return row ? toRecord(row) : null;
  }

  /** Appends one attempt and sets the delivery's state after it. */
  async recordAttempt(id: string, attempt: WebhookAttempt, status: WebhookDeliveryState): Promise<void> {
    await this.prisma.client.$transaction(async (tx) => {
      const row = await tx.webhookDelivery.findUniqueOrThrow({ where: { id }, select: { attemptLog: true } });
      const log = Array.isArray(row.attemptLog) ? (row.attemptLog as unknown as WebhookAttempt[]) : [];
      await tx.webhookDelivery.update({
        where: { id },
        data: {
          attempts: { increment: 1 },
          attemptLog: [...log, attempt] as unknown as InputJsonValue,
          lastStatusCode: attempt.statusCode ?? null,
          lastError: attempt.error ?? null,
          status,
          ...(status === 'delivered' ? { deliveredAt: new Date(attempt.at) } : {}),
        },
      });
    });
  }

  /** Newest first. */
  /** Newest first; `cursor` is the last row of the previous page. */
  async list(filter: { eventType?: string; status?: WebhookDeliveryState }, limit: number, cursor?: KeysetCursor): Promise<WebhookDeliveryRecord[]> {
    const rows = await this.prisma.client.webhookDelivery.findMany({
      where: { eventType: filter.eventType, status: filter.status, ...keysetBefore(cursor) },
      orderBy: NEWEST_FIRST,
      take: limit,
    });
    return rows.map(toRecord);
  }
}

type Row = Awaited<ReturnType<PrismaService['client']['webhookDelivery']['findUniqueOrThrow']>>;

function toRecord(row: Row): WebhookDeliveryRecord {
  return {
    id: row.id,
    eventId: row.eventId,
    eventType: row.eventType,
    url: row.url,
    payload: row.payload,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    attemptLog: Array.isArray(row.attemptLog) ? (row.attemptLog as unknown as WebhookAttempt[]) : [],
    deliveredAt: row.deliveredAt,
    createdAt: row.createdAt,
  };
}
