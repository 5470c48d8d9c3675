import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { type RecheckCall, RecheckRepository, RulePackRepository, type StoredRuleFinding } from '#libs/db';
import type { FindingDraft } from '#libs/domain';
import { type BulkRecheckPayload, JobQueues, type RecheckProgress } from '#libs/queue';
import type { CompiledRules } from '#libs/rules';
import { runCallRules } from './call-rules.js';
import { diffFindings } from './finding-diff.js';
import { RulePackRuntime } from './rule-pack-runtime.service.js';

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
    const size = this.config.rules.recheckBatchSize;
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
    const batch = `recheck-${randomUUID().slice(0, 8)}`;
    const compiled = new Map<string | null, Promise<CompiledRules | null>>();
    const rulesFor = (campaignId: string | null) => {
      let entry = compiled.get(campaignId);
      if (!entry) compiled.set(campaignId, (entry = this.rulesFor(campaignId, request.packKey)));
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
      for (const call of calls) {
        const rules = await rulesFor(call.campaignId);
        if (!rules) continue;
        const diff = diffFindings(byCall.get(call.id) ?? [], runCallRules(rules, call.transcript, call));
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

  private async load(scope: Parameters<RecheckRepository['page']>[0], afterId: string | null, size: number) {
    const calls = await this.recheck.page(scope, afterId, size);
    return { calls, findings: await this.recheck.ruleFindings(calls.map((c) => c.id)) };
  }

  /** The compiled live packs a campaign runs; null when only calls running `packKey` are wanted and it does not run it. */
  private async rulesFor(campaignId: string | null, packKey: string | undefined): Promise<CompiledRules | null> {
    if (packKey !== undefined) {
      const refs = await this.packs.livePacksFor(campaignId);
      if (!refs.some((r) => r.key === packKey)) return null;
    }
    return this.runtime.compiledFor(campaignId);
  }
}
