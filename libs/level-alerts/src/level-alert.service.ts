import { Injectable, Logger } from '@nestjs/common';
import { AlertRepository, LevelRollupRepository, type RollupLevel, type StoredAlert } from '#libs/db';
import { alertKey, dayRangeIn, judgeLevelDays, thresholdsInForce, type EntityRef, type LevelDay, type OpenAlert } from '#libs/evaluation-model';
import { WebhookPublisher } from '#libs/webhooks';
import type { JudgedLevel, LevelDayPayload } from '#libs/queue';

/** The webhook endpoint name threshold alerts go to (ALERT_WEBHOOK_URL); the rollup stage registers it. */
export const ALERT_WEBHOOK_ENDPOINT = 'alerts';

const ACTIVITY_METRIC = 'activeMinutesWithoutEffectiveCall';

/**
 * Thresholds above the agent: after an agent's day changes, the rollup stage queues the days of its group, team and
 * campaign (it judges the agent itself), and the worker's level-alerts job judges each. One alert per crossing,
 * stored before it is published; a delivery that fails is retried by the webhook worker and shown beside the alert.
 */
@Injectable()
export class LevelAlertService {
  private readonly logger = new Logger(LevelAlertService.name);

  constructor(
    private readonly levels: LevelRollupRepository,
    private readonly alerts: AlertRepository,
    private readonly webhooks: WebhookPublisher,
  ) {}

  /** The group, team and campaign an agent's call on a day feeds: the level days the rollup stage queues for judging. */
  async levelsAbove(agentId: string, campaignId: string | null): Promise<{ level: JudgedLevel; id: string }[]> {
    const { groupId, teamId } = await this.levels.levelsOfAgent(agentId);
    const out: { level: JudgedLevel; id: string }[] = [];
    if (groupId) out.push({ level: 'group', id: groupId });
    if (teamId) out.push({ level: 'team', id: teamId });
    if (campaignId) out.push({ level: 'campaign', id: campaignId });
    return out;
  }

  /**
   * Judges a group, team or campaign day (`day` a day key in `timeZone`, which cut it: the activity threshold reads
   * the calls in it) against the thresholds. Returns the alerts raised.
   */
  async judgeLevelDay({ level, id, day, timeZone }: LevelDayPayload): Promise<StoredAlert[]> {
    const dayKey = new Date(`${day}T00:00:00.000Z`);
    return this.judge({ kind: level, id }, dayKey, dayRangeIn(dayKey, timeZone));
  }

  private async judge(entity: EntityRef, day: Date, range: { from: Date; to: Date }): Promise<StoredAlert[]> {
    const level = entity.kind as RollupLevel;
    const period = day.toISOString().slice(0, 10);
    const { rules, issues } = thresholdsInForce(await this.alerts.thresholdRules());
    if (issues.length > 0) this.logger.error(`stored thresholds are invalid, using the defaults: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    // a level no rule applies to costs no more queries
    const applying = rules.filter((r) => !r.entityKinds || r.entityKinds.includes(level));
    if (applying.length === 0) return [];
    const watchesActivity = applying.some((r) => r.metric === ACTIVITY_METRIC);
    const [counters, activity, alreadyOpen] = await Promise.all([
      this.levels.levelDays(level, entity.id, day, new Date(day.getTime() + 86_400_000)),
      watchesActivity ? this.levels.levelActivity(level, entity.id, range.from, range.to) : Promise.resolve([]),
      this.alerts.openFor(level, entity.id, period),
    ]);
    if (!counters[0]) return [];
    const open: Record<string, OpenAlert> = {};
    for (const a of alreadyOpen) open[alertKey(a.thresholdId, entity, period)] = a;
    const days: LevelDay[] = [
      {
        entity,
        counters: counters[0].counters,
        activity: activity.map((a) => ({ startedAt: a.startedAt.getTime(), endedAt: a.startedAt.getTime() + a.durationSeconds * 1000, effective: a.effective })),
      },
    ];
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
