import { Injectable } from '@nestjs/common';
import { CallRepository, CallResultsRepository } from '#libs/db';
import { PermanentJobError } from '#libs/queue';
import { type CompiledRules, compileRulePack, loadShippedPacks, runRules } from '#libs/rules';
import { loadCall } from './call-loader.js';

/** check: the rule packs over the transcript. Findings are replaced idempotently, reviews kept. */
@Injectable()
export class CheckStage {
  private compiled: CompiledRules | null = null;

  constructor(
    private readonly calls: CallRepository,
    private readonly results: CallResultsRepository,
  ) {}

  async run(callId: string): Promise<void> {
    const call = await loadCall(this.calls, callId);
    const transcript = await this.results.findTranscript(callId);
    if (!transcript) throw new PermanentJobError('no transcript to check (the transcribe stage has not run)');
    const drafts = runRules(this.rules(), transcript, { callDurationSeconds: call.durationSeconds ?? undefined });
    await this.results.replaceFindings(callId, ['rule'], drafts);
  }

  /** Compiled once per process: compiling is the expensive part, matching is cheap. */
  private rules(): CompiledRules {
    this.compiled ??= compileRulePack(loadShippedPacks());
    return this.compiled;
  }
}
