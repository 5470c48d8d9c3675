import { Injectable, Logger } from '@nestjs/common';
import { AlertRepository, LevelRollupRepository, type RollupLevel, type StoredAlert } from '#libs/db';
import { alertKey, judgeLevelDays, thresholdsInForce, type EntityRef, type LevelDay, type OpenAlert } from '#libs/evaluation-model';
import { WebhookPublisher } from '#libs/webhooks';

/** The webhook endpoint name threshold alerts go to (ALERT_WEBHOOK_URL); the rollup stage registers it. */
export const ALERT_WEBHOOK_ENDPOINT = 'alerts';

const ACTIVITY_METRIC = 'activeMinutesWithoutEffectiveCall';

/**
 * Thresholds above the agent: after an agent's day changes, judges the day of its group, team and campaign (the
 * rollup stage judges the agent itself). One alert per crossing, stored before it is published; a delivery that
 * fails is retried by the webhook worker and shown beside the alert by the API.
 */
@Injectable()
export class LevelAlertService {
  private readonly logger = new Logger(LevelAlertService.name);

  constructor(
    private readonly levels: LevelRollupRepository,
    private readonly alerts: AlertRepository,
    private readonly webhooks: WebhookPublisher,
  ) {}

  /**
   * Judges the group, team and campaign days that an agent's call on `day` (a day key) fed; `range` is that day's
   * [start, end) in the zone that cut it (the activity threshold reads the calls in it). Returns the alerts raised.
   */
  async judgeAbove(agentId: string, campaignId: string | null, day: Date, range: { from: Date; to: Date }): Promise<StoredAlert[]> {
    const [{ groupId, teamId }, stored] = await Promise.all([this.levels.levelsOfAgent(agentId), this.alerts.thresholdRules()]);
    const { rules, issues } = thresholdsInForce(stored);
    if (issues.length > 0) this.logger.error(`stored thresholds are invalid, using the defaults: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    // a level no rule applies to costs no query
    const judged = (kind: RollupLevel) => rules.some((r) => !r.entityKinds || r.entityKinds.includes(kind));
    const watchesActivity = (kind: RollupLevel) => rules.some((r) => r.metric === ACTIVITY_METRIC && (!r.entityKinds || r.entityKinds.includes(kind)));
    const targets: { level: RollupLevel; id: string }[] = [];
    if (groupId && judged('group')) targets.push({ level: 'group', id: groupId });
    if (teamId && judged('team')) targets.push({ level: 'team', id: teamId });
    if (campaignId && judged('campaign')) targets.push({ level: 'campaign', id: campaignId });
    if (targets.length === 0) return [];
    const period = day.toISOString().slice(0, 10);
    const next = new Date(day.getTime() + 86_400_000);

    const days: LevelDay[] = [];
    const open: Record<string, OpenAlert> = {};
    for (const target of targets) {
      const entity: EntityRef = { kind: target.level, id: target.id };
      const [counters, activity, alreadyOpen] = await Promise.all([
        this.levels.levelDays(target.level, target.id, day, next),
        watchesActivity(target.level) ? this.levels.levelActivity(target.level, target.id, range.from, range.to) : Promise.resolve([]),
        this.alerts.openFor(target.level, target.id, period),
      ]);
      if (!counters[0]) continue;
      days.push({
        entity,
        counters: counters[0].counters,
        activity: activity.map((a) => ({ startedAt: a.startedAt.getTime(), endedAt: a.startedAt.getTime() + a.durationSeconds * 1000, effective: a.effective })),
      });
      for (const a of alreadyOpen) open[alertKey(a.thresholdId, entity, period)] = a;
    }
    const result = judgeLevelDays({ open }, days, period, rules);
    for (const clearance of result.alertsToClear) await this.alerts.clear(clearance.key);
    const raised: StoredAlert[] = [];
    for (const alert of result.alertsToRaise) {
      const stored = await this.alerts.raise(alert);
      if (!stored) continue;
      raised.push(stored);
      await this.publish(stored);
    }
    if (raised.length > 0) this.logger.log(`${period}: raised ${raised.map((a) => `${a.thresholdId} for ${a.entityKind} ${a.entityId}`).join(', ')}`);
    return raised;
  }

  private async publish(alert: StoredAlert): Promise<void> {
    try {
      const result = await this.webhooks.publish(ALERT_WEBHOOK_ENDPOINT, { id: `alert.${alert.id}`, type: 'alert.raised', data: alert });
      if (result.status === 'skipped') this.logger.debug(`alert ${alert.id} not sent: ${result.reason}`);
    } catch (error) {
      // the delivery row, when it was written, stays pending and is listed beside the alert
      this.logger.error(`alert ${alert.id} stored but its webhook could not be queued: ${(error as Error).message}`, (error as Error).stack);
    }
  }
}
