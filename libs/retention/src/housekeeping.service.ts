import { Injectable, Logger } from '@nestjs/common';
import { AccessRepository, SecurityEventRepository } from '#libs/db';

/** How long the unchained security events (anonymous refusals, blocked sign-ins) are kept. */
export const SECURITY_EVENT_RETENTION_DAYS = 90;

/** Deletes what can never be used again: dead sessions, and security events past their retention. */
@Injectable()
export class HousekeepingService {
  private readonly logger = new Logger(HousekeepingService.name);

  constructor(
    private readonly access: AccessRepository,
    private readonly securityEvents: SecurityEventRepository,
  ) {}

  async run(now = new Date()): Promise<{ sessionsDeleted: number; securityEventsDeleted: number }> {
    const sessionsDeleted = await this.access.deleteDeadSessions(now);
    const securityEventsDeleted = await this.securityEvents.deleteBefore(new Date(now.getTime() - SECURITY_EVENT_RETENTION_DAYS * 86_400_000));
    if (sessionsDeleted + securityEventsDeleted > 0) this.logger.log(`deleted ${sessionsDeleted} dead session(s), ${securityEventsDeleted} old security event(s)`);
    return { sessionsDeleted, securityEventsDeleted };
  }
}
