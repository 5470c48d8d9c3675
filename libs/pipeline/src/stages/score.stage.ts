import { Injectable } from '@nestjs/common';
import { CallRepository, CallResultsRepository } from '#libs/db';
import { DEFAULT_SCORECARD, scoreCall } from '#libs/scoring';
import { loadCall } from './call-loader.js';

/** score: the campaign's scorecard over findings and metrics; critical criteria auto-fail the call. */
@Injectable()
export class ScoreStage {
  constructor(
    private readonly calls: CallRepository,
    private readonly results: CallResultsRepository,
  ) {}

  async run(callId: string): Promise<void> {
    await loadCall(this.calls, callId);
    const [findings, metrics] = await Promise.all([this.results.listFindings(callId), this.results.findMetrics(callId)]);
    const scorecard = DEFAULT_SCORECARD;
    const evaluation = scoreCall(scorecard, {
      findings: findings.map((f) => ({ id: f.id, ruleId: f.ruleId, family: f.family, severity: f.severity, reviewState: f.reviewState })),
      metrics,
    });
    await this.results.saveEvaluation(callId, {
      scorecardName: scorecard.name,
      scorecardVersion: scorecard.version,
      score: evaluation.score,
      autoFailed: evaluation.autoFailed,
      criteria: evaluation.criteria.map(({ criterionId, result, weight, findingIds }) => ({ criterionId, result, weight, findingIds })),
    });
  }
}
