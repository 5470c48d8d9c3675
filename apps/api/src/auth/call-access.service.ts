import { Injectable } from '@nestjs/common';
import { AccessRepository } from '#libs/db';
import { ForbiddenError } from './auth.errors.js';
import { NotFoundError } from '../common/not-found.error.js';
import type { Principal } from './principal.js';

/** An agent sees only their own calls; every other role that may call the endpoint sees all calls. */
export function assertOwnCall(principal: Principal, call: { id: string; agentId: string | null }): void {
  if (principal.role !== 'agent') return;
  if (principal.agentId === null || call.agentId !== principal.agentId) {
    throw new ForbiddenError(`an agent sees only their own calls; call ${call.id} is not yours`, ['admin', 'qa_lead', 'compliance', 'trainer']);
  }
}

@Injectable()
export class CallAccess {
  constructor(private readonly access: AccessRepository) {}

  /** For endpoints that do not load the call themselves; an unknown call passes, so the handler answers 404. */
  async assertMaySee(principal: Principal, callId: string): Promise<void> {
    if (principal.role !== 'agent') return;
    const agentId = await this.access.agentOfCall(callId);
    if (agentId !== undefined) assertOwnCall(principal, { id: callId, agentId });
  }

  /** For endpoints that answer about a call without loading it: 404 for an unknown call, 403 for another agent's. */
  async assertExistsAndMaySee(principal: Principal, callId: string): Promise<void> {
    const agentId = await this.access.agentOfCall(callId);
    if (agentId === undefined) throw new NotFoundError('call', callId);
    assertOwnCall(principal, { id: callId, agentId });
  }
}
