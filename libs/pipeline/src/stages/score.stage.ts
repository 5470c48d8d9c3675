import { Injectable, Logger } from '@nestjs/common';
import { CallResultsRepository, EvaluationRepository, LlmCheckRepository, ScorecardRepository } from '#libs/db';
import { PermanentJobError } from '#libs/queue';
import { DEFAULT_SCORECARD, type LlmAnswer, scoreCall, validateScorecard, type Scorecard } from '#libs/scoring';
import type { StageCall } from './call-loader.js';

/** score: the campaign's scorecard (the default when it has none) over findings and metrics; critical criteria auto-fail. */
@Injectable()
export class ScoreStage {
  private readonly logger = new Logger(ScoreStage.name);

  constructor(
    private readonly results: CallResultsRepository,
    private readonly scorecards: ScorecardRepository,
    private readonly evaluations: EvaluationRepository,
    private readonly llm: LlmCheckRepository,
  ) {}

  async run(stageCall: StageCall): Promise<void> {
    const callId = stageCall.id;
    const call = await stageCall.load();
    const [findings, metrics, stored, llmRun] = await Promise.all([
      stageCall.findings(),
      stageCall.metrics(),
      call.campaignId ? this.scorecards.currentForCampaign(call.campaignId) : Promise.resolve(null),
      stageCall.savedLlmRun() ?? this.llm.findRun(callId),
    ]);
    // Only verified answers count; a discarded one leaves its criterion N/A.
    const llmAnswers: Record<string, LlmAnswer> = {};
    for (const a of llmRun?.answers ?? []) if (a.verified && a.answer) llmAnswers[a.questionId] = a.answer === 'not_applicable' ? 'na' : a.answer;
    let scorecard: Scorecard = DEFAULT_SCORECARD;
    if (stored) {
      const parsed = validateScorecard({ name: stored.name, version: stored.version, criteria: stored.criteria });
      // Stored versions were validated on write; one that no longer parses cannot be fixed by a retry.
      if (!parsed.ok) throw new PermanentJobError(`scorecard ${stored.id} is invalid: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
      scorecard = parsed.scorecard;
    }
    const evaluation = scoreCall(scorecard, {
      findings: findings.map((f) => ({ id: f.id, ruleId: f.ruleId, family: f.family, severity: f.severity, reviewState: f.reviewState })),
      metrics,
      llmAnswers,
    });
    const byId = new Map(scorecard.criteria.map((c) => [c.id, c]));
    await this.evaluations.save({
      callId,
      scorecardId: stored?.id ?? null,
      scorecardName: scorecard.name,
      scorecardVersion: scorecard.version,
      score: evaluation.score,
      autoFailed: evaluation.autoFailed,
      applicableWeight: evaluation.applicableWeight,
      criteria: evaluation.criteria.map((r) => ({
        criterionId: r.criterionId,
        label: byId.get(r.criterionId)?.label ?? r.criterionId,
        critical: byId.get(r.criterionId)?.critical ?? false,
        result: r.result,
        weight: r.weight,
        findingIds: r.findingIds,
        observed: r.observed ?? null,
      })),
    });
    stageCall.evaluationSaved(evaluation);
    this.logger.debug(`call ${callId} scored ${evaluation.score} on ${scorecard.name} v${scorecard.version}`);
  }
}
