import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { type RecheckCall, RecheckRepository, type RecheckScope, RulePackRepository, type StoredRuleFinding } from '#libs/db';
import type { FindingDraft, TranscriptSegment } from '#libs/domain';
import { type BulkRecheckPayload, JobQueues, type RecheckProgress } from '#libs/queue';
import type { CompiledRules } from '#libs/rules';
import { runCallRules } from './call-rules.js';
import { RuleCheckPool, type RuleSet } from './rule-check-pool.js';
import { diffFindings } from './finding-diff.js';
import { RulePackRuntime } from './rule-pack-runtime.service.js';

/** A campaign's live packs: as a set a thread compiles, or compiled here. */
type CampaignRules = { set: RuleSet; pool: RuleCheckPool } | { compiled: CompiledRules };

/**
 * Re-checks a period of stored calls with the live rule packs their campaigns run, in batches: one query loads a
 * page of transcripts, the compiled rules run in-process, the findings' difference is written in two statements,
 * and only calls whose score can change are queued for re-scoring (score -> clip -> rollup, which swaps the call's
 * earlier contribution: nothing is counted twice). Running it again changes nothing.
 */
@Injectable()
export class RuleRecheckService {
  private readonly logger = new Logger(RuleRecheckService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly recheck: RecheckRepository,
    private readonly packs: RulePackRepository,
    private readonly runtime: RulePackRuntime,
    private readonly queues: JobQueues,
  ) {}

  async run(request: BulkRecheckPayload, report: (progress: RecheckProgress) => Promise<void>): Promise<RecheckProgress> {
    const scope = { from: new Date(request.from), to: new Date(request.to), ...(request.campaignId ? { campaignId: request.campaignId } : {}) };
    const progress: RecheckProgress = {
      total: await this.recheck.count(scope),
      processed: 0,
      callsChanged: 0,
      findingsAdded: 0,
      findingsRemoved: 0,
      findingsUpdated: 0,
      skippedWithoutTranscript: 0,
    };
    await report(progress);
    // threads for the rules while the job runs; none from the TypeScript sources (the tests), where they run here
    const pool = RuleCheckPool.start(this.config.rules.recheckThreads);
    try {
      return await this.recheckPages(request, scope, progress, pool, report);
    } finally {
      await pool?.close();
    }
  }

  private async recheckPages(
    request: BulkRecheckPayload,
    scope: RecheckScope,
    progress: RecheckProgress,
    pool: RuleCheckPool | null,
    report: (progress: RecheckProgress) => Promise<void>,
  ): Promise<RecheckProgress> {
    const size = this.config.rules.recheckBatchSize;
    const batch = `recheck-${randomUUID().slice(0, 8)}`;
    const sets = new Map<string | null, Promise<CampaignRules | null>>();
    const rulesFor = (campaignId: string | null) => {
      let entry = sets.get(campaignId);
      if (!entry) sets.set(campaignId, (entry = this.rulesFor(campaignId, request.packKey, pool)));
      return entry;
    };
    // the next page loads while this one is checked, and this one's write runs while the next is checked
    let next = this.load(scope, null, size);
    let writing: Promise<void> = Promise.resolve();
    for (;;) {
      const { calls, findings } = await next;
      if (calls.length === 0) break;
      const last = calls[calls.length - 1] as RecheckCall;
      next = calls.length < size ? Promise.resolve({ calls: [], findings: [] }) : this.load(scope, last.id, size);
      const byCall = new Map<string, StoredRuleFinding[]>();
      for (const f of findings) {
        const list = byCall.get(f.callId);
        if (list) list.push(f);
        else byCall.set(f.callId, [f]);
      }
      const deleteIds: string[] = [];
      const upserts: { callId: string; draft: FindingDraft }[] = [];
      const changed: string[] = [];
      for (const { call, findings: found } of await this.checkPage(calls, rulesFor)) {
        const diff = diffFindings(byCall.get(call.id) ?? [], found);
        deleteIds.push(...diff.deleteIds);
        for (const draft of diff.upserts) upserts.push({ callId: call.id, draft });
        progress.findingsAdded += diff.added;
        progress.findingsRemoved += diff.removed;
        progress.findingsUpdated += diff.updated;
        if (diff.rescore) changed.push(call.id);
      }
      await writing;
      writing = (async () => {
        await this.recheck.applyDiff(deleteIds, upserts);
        // queued only after the findings committed: the score stage reads them
        if (changed.length > 0) await this.queues.enqueueMany('score', changed, batch);
        progress.callsChanged += changed.length;
        progress.processed += calls.length;
        await report(progress);
      })();
      // awaited before the next write or at the end; this only keeps a failure meanwhile from being reported unhandled
      writing.catch(() => undefined);
    }
    await writing;
    this.logger.log(
      `re-check ${request.from}..${request.to}${request.packKey ? ` (pack ${request.packKey})` : ''} by ${request.requestedBy}: ${progress.processed} calls, ` +
        `${progress.callsChanged} changed, +${progress.findingsAdded} -${progress.findingsRemoved} ~${progress.findingsUpdated} findings`,
    );
    return progress;
  }

  /** The rule findings of a page's calls (those whose campaign runs the pack asked for), on the pool's threads when there is one. */
  private async checkPage(
    calls: readonly RecheckCall[],
    rulesFor: (campaignId: string | null) => Promise<CampaignRules | null>,
  ): Promise<{ call: RecheckCall; findings: FindingDraft[] }[]> {
    const byCampaign = new Map<string | null, RecheckCall[]>();
    for (const call of calls) {
      const list = byCampaign.get(call.campaignId);
      if (list) list.push(call);
      else byCampaign.set(call.campaignId, [call]);
    }
    const out: { call: RecheckCall; findings: FindingDraft[] }[] = [];
    for (const [campaignId, group] of byCampaign) {
      const rules = await rulesFor(campaignId);
      if (!rules) continue;
      if ('set' in rules) {
        const found = await rules.pool.run(rules.set, group);
        group.forEach((call, i) => out.push({ call, findings: found[i] ?? [] }));
        continue;
      }
      const { compiled } = rules;
      for (const call of group) {
        out.push({ call, findings: runCallRules(compiled, { ...call.transcript, segments: JSON.parse(call.segmentsJson) as TranscriptSegment[] }, call) });
      }
    }
    return out;
  }

  private async load(scope: Parameters<RecheckRepository['page']>[0], afterId: string | null, size: number) {
    const calls = await this.recheck.page(scope, afterId, size);
    return { calls, findings: await this.recheck.ruleFindings(calls.map((c) => c.id)) };
  }

  /**
   * The live packs a campaign runs, compiled here when the rules run in this thread; null when only calls running
   * `packKey` are wanted and it does not run it.
   */
  private async rulesFor(campaignId: string | null, packKey: string | undefined, pool: RuleCheckPool | null): Promise<CampaignRules | null> {
    if (packKey !== undefined) {
      const refs = await this.packs.livePacksFor(campaignId);
      if (!refs.some((r) => r.key === packKey)) return null;
    }
    // the threads compile the set themselves; in this thread the runtime's compiled (and cached) packs serve
    return pool ? { set: await this.runtime.ruleSetFor(campaignId), pool } : { compiled: await this.runtime.compiledFor(campaignId) };
  }
}
