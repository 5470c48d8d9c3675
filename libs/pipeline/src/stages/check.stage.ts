import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#libs/config';
import { type CallRecord, CallResultsRepository, OptOutRepository } from '#libs/db';
import { runMetadataChecks } from '#libs/compliance';
import type { FindingDraft, NormalisedTranscript } from '#libs/domain';
import { PermanentJobError } from '#libs/queue';
import { RulePackRuntime, runCallRules } from '#libs/rule-catalog';
import { OPT_OUT_ENDPOINT, WebhookPublisher } from '#libs/webhooks';
import { LlmCheckService } from '#libs/llm-checks';
import type { StageCall } from './call-loader.js';
import type { StageReport } from '../stage-report.js';

/** Local days reach at most 14 h either side of UTC: this window holds every call of the call's local day. */
const DAY_WINDOW_MS = 38 * 3600 * 1000;
const STOP_FAMILY = 'opt_out_request';

/**
 * check: the rule packs over the transcript and the metadata checks against the opt-out registry. Findings are
 * replaced idempotently, reviews kept. A customer's stop request then goes into the registry and out by webhook.
 * Last, the LLM questions the rule candidates call for (or records that LLM checks were skipped).
 */
@Injectable()
export class CheckStage implements OnModuleInit {
  private readonly logger = new Logger(CheckStage.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly results: CallResultsRepository,
    private readonly optOuts: OptOutRepository,
    private readonly webhooks: WebhookPublisher,
    private readonly llmChecks: LlmCheckService,
    private readonly rulePacks: RulePackRuntime,
  ) {}

  /**
   * Compiling takes seconds of CPU: the shipped packs (what a campaign runs unless it chose others) are compiled at
   * boot, not inside the first call's job, whose lock would lapse meanwhile.
   */
  async onModuleInit(): Promise<void> {
    await this.rulePacks.compiledFor(null);
  }

  async run(stageCall: StageCall): Promise<StageReport> {
    const callId = stageCall.id;
    const call = await stageCall.load();
    const transcript = (await stageCall.transcript())?.transcript;
    if (!transcript) throw new PermanentJobError('no transcript to check (the transcribe stage has not run)');
    const ruleDrafts = runCallRules(await this.rulePacks.compiledFor(call.campaignId), transcript, call);
    const metadataDrafts = await this.metadataFindings(call);
    await this.results.replaceFindings(callId, ['rule', 'metadata'], [...ruleDrafts, ...metadataDrafts]);
    await this.recordStopRequest(call, transcript, ruleDrafts);
    const candidateFamilies = new Set(ruleDrafts.flatMap((d) => (d.family ? [d.family] : [])));
    const llm = await this.llmChecks.check(callId, transcript, candidateFamilies, call.language, { campaignId: call.campaignId, firedRules: new Set(ruleDrafts.map((d) => d.ruleId)) });
    stageCall.llmRunSaved(llm);
    // the rule, metadata and LLM findings were all replaced
    stageCall.findingsChanged();
    this.logger.debug(`llm checks callId=${callId} ${llm.status} asked=${llm.questionsAsked} cached=${llm.cacheHits} discarded=${llm.discardedAnswers}`);
    return {
      findings: [...ruleDrafts, ...metadataDrafts].map((d) => ({ family: d.family ?? null, severity: d.severity, source: d.source })),
      llm:
        llm.status === 'skipped'
          ? llm.skippedBy === 'cost_ceiling'
            ? { model: llm.model, inputTokens: 0, outputTokens: 0, costUsd: null, skipped: 'cost_ceiling', discardedQuestions: [] }
            : undefined
          : {
              model: llm.model,
              inputTokens: llm.inputTokens,
              outputTokens: llm.outputTokens,
              costUsd: llm.costUsd,
              discardedQuestions: llm.answers.filter((a) => !a.verified).map((a) => a.questionId),
            },
    };
  }

  private async metadataFindings(call: CallRecord): Promise<FindingDraft[]> {
    const { optOuts, nearbyCalls, earlierStopRequests } = await this.optOuts.phoneHistory(call.customerPhone, call.startedAt, DAY_WINDOW_MS, STOP_FAMILY);
    return runMetadataChecks(
      {
        call: { id: call.id, phone: call.customerPhone, startedAt: call.startedAt, timeZone: call.timeZone, direction: call.direction },
        optOuts,
        nearbyCalls,
        earlierStopRequests,
      },
      this.config.compliance,
    );
  }

  /** The first customer stop request of the call: registered once per call, its event published once (both keyed). */
  private async recordStopRequest(call: CallRecord, transcript: NormalisedTranscript, drafts: FindingDraft[]): Promise<void> {
    const stop = drafts
      .filter((d) => d.family === STOP_FAMILY && d.evidence?.segmentIndex !== undefined)
      .filter((d) => transcript.segments[d.evidence?.segmentIndex ?? -1]?.speaker === 'customer')
      .sort((a, b) => (a.evidence?.startSeconds ?? 0) - (b.evidence?.startSeconds ?? 0))[0];
    if (!stop) return;
    const spoken = transcript.segments[stop.evidence?.segmentIndex ?? 0];
    const offsetSeconds = stop.evidence?.endSeconds ?? spoken?.end ?? 0;
    const evidence = `customer at ${(spoken?.start ?? 0).toFixed(1)}-${(spoken?.end ?? offsetSeconds).toFixed(1)} s: "${spoken?.text ?? ''}" (${stop.ruleId}@${stop.ruleVersion} matched "${stop.evidence?.text ?? ''}")`;
    const { record, created } = await this.optOuts.add({
      phone: call.customerPhone,
      source: 'call_detected',
      sourceCallId: call.id,
      effectiveAt: new Date(call.startedAt.getTime() + Math.round(offsetSeconds * 1000)),
      evidence,
    });
    if (created) this.logger.log(`opt-out registered from call callId=${call.id} phone=${call.customerPhone}`);
    // Already opted out before this request: nothing new for the dialer. Published even when not `created`, because
    // an earlier attempt may have stored the entry and crashed before publishing (the event id makes it once).
    if (record.sourceCallId !== call.id) return;
    const published = await this.webhooks.publish(OPT_OUT_ENDPOINT, {
      id: `opt_out.created.${record.id}`,
      type: 'opt_out.created',
      data: {
        optOutId: record.id,
        phone: record.phone,
        source: record.source,
        effectiveAt: record.effectiveAt.toISOString(),
        callId: call.id,
        callExternalId: call.externalId,
        evidence: record.evidence,
      },
    });
    if (published.status === 'skipped') this.logger.debug(`opt-out webhook not sent callId=${call.id}: ${published.reason}`);
  }
}
