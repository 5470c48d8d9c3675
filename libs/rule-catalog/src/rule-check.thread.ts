import { parentPort } from 'node:worker_threads';
import type { TranscriptSegment } from '#libs/domain';
import { type CompiledRules, compileRulePack } from '#libs/rules';
import { runCallRules } from './call-rules.js';
import type { RuleCheckRequest, RuleCheckResponse } from './rule-check-pool.js';

// One thread of a RuleCheckPool: compiles each rule set once, then runs it over the calls it is sent.
const compiled = new Map<string, CompiledRules>();

parentPort?.on('message', (request: RuleCheckRequest) => {
  let response: RuleCheckResponse;
  try {
    if (request.ruleSet) compiled.set(request.ruleSet.key, compileRulePack(request.ruleSet.packs, { trustedPatterns: new Set(request.ruleSet.trusted) }));
    const rules = compiled.get(request.key);
    if (!rules) throw new Error(`rule set ${request.key} was never sent to this thread`);
    const findings = request.calls.map((call) =>
      runCallRules(rules, { ...call.transcript, segments: JSON.parse(call.segmentsJson) as TranscriptSegment[] }, call),
    );
    response = { id: request.id, findings };
  } catch (error) {
    response = { id: request.id, error: (error as Error).message };
  }
  parentPort?.postMessage(response);
});
