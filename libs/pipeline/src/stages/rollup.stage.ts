import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { AlertRepository, CallResultsRepository, EvaluationRepository, OutcomeRepository, RollupRepository, type StoredAlert } from '#libs/db';
import {
  DEFAULT_THRESHOLDS,
  activeMinutesWithoutEffectiveCall,
  alertKey,
  countersOf,
  dayIn,
  dayRangeIn,
  evaluateThresholds,
  findingFlags,
  metadataFlags,
  thresholdValuesFrom,
  validateThresholds,
  type CallOutcomeCounters,
  type EntityRef,
  type ThresholdRule,
} from '#libs/evaluation-model';
import { LevelAlertService } from '#libs/level-alerts';
import { JobQueues } from '#libs/queue';
import { WebhookEndpoints, WebhookPublisher } from '#libs/webhooks';
import type { StageCall } from './call-loader.js';

/** The webhook endpoint name threshold alerts go to (ALERT_WEBHOOK_URL). */
export const ALERT_ENDPOINT = 'alerts';

/**
 * rollup: puts the call's current contribution (scores, findings, metrics, imported outcomes) into its agent's daily
 * aggregates, replacing what it added before, then judges the agent's day against the thresholds and queues the
 * judgement of its group's, team's and campaign's days. Safe to repeat; re-scoring and outcome imports run it again.
 */
@Injectable()
export class RollupStage {
  private readonly logger = new Logger(RollupStage.name);
  private readonly organisationTimeZone: string;

  constructor(
    private readonly results: CallResultsRepository,
    private readonly evaluations: EvaluationRepository,
    private readonly outcomes: OutcomeRepository,
    private readonly rollups: RollupRepository,
    private readonly alerts: AlertRepository,
    private readonly webhooks: WebhookPublisher,
    private readonly levelAlerts: LevelAlertService,
    private readonly queues: JobQueues,
    endpoints: WebhookEndpoints,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    if (config.webhooks.alerts) endpoints.register(ALERT_ENDPOINT, config.webhooks.alerts);
    this.organisationTimeZone = config.evaluation.timeZone;
  }

  async run(stageCall: StageCall): Promise<void> {
    await this.rollUp(stageCall);
  }

  /** Like run, and returns the alerts this run raised. */
  async rollUp(stageCall: StageCall): Promise<StoredAlert[]> {
    const callId = stageCall.id;
    const target: { agentDay?: { agentId: string; day: Date }; campaignId?: string | null; timeZone?: string } = {};
    const dayCounters = await this.rollups.swapContribution(callId, async () => {
      const call = await stageCall.load();
      if (!call.agentId) return null;
      const [findings, metrics, evaluation, outcome] = await Promise.all([
        stageCall.findings(),
        stageCall.metrics(),
        stageCall.savedEvaluation() ?? this.evaluations.find(callId),
        this.outcomes.find(callId),
      ]);
      const disposition = outcome?.disposition ?? call.disposition;
      const counters: CallOutcomeCounters = countersOf({
        // A recording without a disposition was answered: there is a conversation to analyse.
        connected: disposition === null || disposition === 'connected',
        // analysed once the pipeline measured or scored it; an outcome can arrive before that.
        analysed: metrics !== null || evaluation !== null,
        handleSeconds: call.durationSeconds,
        metrics,
        ...findingFlags(findings),
        ...metadataFlags(findings),
        complaint: (outcome?.complaints.length ?? 0) > 0,
        intentConfirmed: outcome?.intentConfirmed ?? false,
        sale: outcome?.sale ?? false,
        csat: outcome?.csat ?? null,
        qaScore: evaluation?.score ?? null,
        autoFailed: evaluation?.autoFailed ?? false,
      });
      // the day is the calendar day where the campaign (else the organisation) works, not the UTC date
      target.timeZone = call.campaignTimeZone ?? this.organisationTimeZone;
      target.agentDay = { agentId: call.agentId, day: dayIn(call.startedAt, target.timeZone) };
      target.campaignId = call.campaignId;
      return { ...target.agentDay, campaignId: call.campaignId, counters, findings: findings.filter((f) => f.reviewState !== 'dismissed').length };
    });
    if (!dayCounters || !target.agentDay) return [];
    const timeZone = target.timeZone ?? this.organisationTimeZone;
    const raised = await this.judge(target.agentDay.agentId, target.agentDay.day, dayRangeIn(target.agentDay.day, timeZone), dayCounters);
    // group, team and campaign thresholds (dashboards, #13): judged by their own job, once a second per level day
    const day = target.agentDay.day.toISOString().slice(0, 10);
    const levels = await this.levelAlerts.levelsAbove(target.agentDay.agentId, target.campaignId ?? null);
    await this.queues.enqueueLevelJudgements(levels.map((l) => ({ ...l, day, timeZone })));
    return raised;
  }

  /**
   * The alert is stored before it is published, and a crossing is raised only once, so a publish failure is logged
   * (the alert stays listed by the API) rather than retried through this job, which would not raise it again.
   */
  private async publish(alert: StoredAlert): Promise<void> {
    try {
      const result = await this.webhooks.publish(ALERT_ENDPOINT, { id: `alert.${alert.id}`, type: 'alert.raised', data: alert });
      if (result.status === 'skipped') this.logger.debug(`alert ${alert.id} not sent: ${result.reason}`);
    } catch (error) {
      this.logger.error(`alert ${alert.id} stored but its webhook could not be queued: ${(error as Error).message}`, (error as Error).stack);
    }
  }

  private async thresholds(): Promise<readonly ThresholdRule[]> {
    const stored = await this.alerts.thresholdRules();
    if (stored === null) return DEFAULT_THRESHOLDS;
    const parsed = validateThresholds(stored);
    if (parsed.ok) return parsed.thresholds;
    this.logger.error(`stored thresholds are invalid, using the defaults: ${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    return DEFAULT_THRESHOLDS;
  }

  /** One alert per crossing: the evaluator sees the open alerts, and the store refuses a second open one per key. */
  private async judge(agentId: string, day: Date, range: { from: Date; to: Date }, counters: CallOutcomeCounters): Promise<StoredAlert[]> {
    const entity: EntityRef = { kind: 'agent', id: agentId };
    const period = day.toISOString().slice(0, 10);
    const [thresholds, open, activity] = await Promise.all([
      this.thresholds(),
      this.alerts.openFor('agent', agentId, period),
      this.rollups.agentActivity(agentId, range.from, range.to),
    ]);
    const values = {
      ...thresholdValuesFrom(counters),
      activeMinutesWithoutEffectiveCall: activeMinutesWithoutEffectiveCall(
        activity.map((a) => ({ startedAt: a.startedAt.getTime(), endedAt: a.startedAt.getTime() + a.durationSeconds * 1000, effective: a.effective })),
      ),
    };
    const state = { open: Object.fromEntries(open.map((a) => [alertKey(a.thresholdId, entity, period), a])) };
    const result = evaluateThresholds(state, [{ entity, period, values }], thresholds);
    for (const clearance of result.alertsToClear) await this.alerts.clear(clearance.key);
    const raised: StoredAlert[] = [];
    for (const alert of result.alertsToRaise) {
      const stored = await this.alerts.raise(alert);
      if (stored) {
        raised.push(stored);
        await this.publish(stored);
      }
    }
    if (raised.length > 0) this.logger.log(`agent ${agentId} ${period}: raised ${raised.map((a) => a.thresholdId).join(', ')}`);
    return raised;
  }
}
