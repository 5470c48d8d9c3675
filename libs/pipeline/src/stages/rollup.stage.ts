import { Injectable } from '@nestjs/common';
import { CallRepository, CallResultsRepository, RollupRepository } from '#libs/db';
import { loadCall } from './call-loader.js';

/** rollup: adds the finished call to its agent's daily aggregates, once. */
@Injectable()
export class RollupStage {
  constructor(
    private readonly calls: CallRepository,
    private readonly results: CallResultsRepository,
    private readonly rollups: RollupRepository,
  ) {}

  async run(callId: string): Promise<void> {
    const call = await loadCall(this.calls, callId);
    if (!call.agentId) return;
    const [findings, metrics, evaluation] = await Promise.all([
      this.results.listFindings(callId),
      this.results.findMetrics(callId),
      this.results.findEvaluation(callId),
    ]);
    const active = findings.filter((finding) => finding.reviewState !== 'dismissed');
    const day = new Date(Date.UTC(call.startedAt.getUTCFullYear(), call.startedAt.getUTCMonth(), call.startedAt.getUTCDate()));
    await this.rollups.addCallOnce(callId, call.agentId, day, {
      connected: call.disposition === null || call.disposition === 'connected',
      effective: metrics?.effectiveCall ?? false,
      earlyHangUp: metrics?.earlyHangUp ?? false,
      hasCritical: active.some((finding) => finding.severity === 'critical'),
      findings: active.length,
      handleSeconds: call.durationSeconds ?? metrics?.durationSeconds ?? 0,
      score: evaluation?.score ?? null,
    });
  }
}
