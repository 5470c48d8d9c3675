import { Worker } from 'node:worker_threads';
import type { FindingDraft, NormalisedTranscript } from '#libs/domain';
import type { RulePack } from '#libs/rules';
import type { CallRuleContext } from './call-rules.js';

/** What compiling a campaign's packs takes, named by the versions it holds (a thread compiles each set once). */
export interface RuleSet {
  key: string;
  /** validated packs, as the pipeline compiles them together */
  packs: RulePack[];
  /** regex sources that run natively */
  trusted: string[];
}

/** One call as a thread checks it: the transcript's segments stay JSON text until the thread parses them. */
export interface RuleCheckCall extends CallRuleContext {
  transcript: Omit<NormalisedTranscript, 'segments'>;
  segmentsJson: string;
}

export interface RuleCheckRequest {
  id: number;
  key: string;
  /** sent with the first request of a set to each thread */
  ruleSet?: RuleSet;
  calls: RuleCheckCall[];
}

export type RuleCheckResponse = { id: number; findings: FindingDraft[][] } | { id: number; error: string };

interface Thread {
  worker: Worker;
  sets: Set<string>;
  pending: Map<number, { resolve(findings: FindingDraft[][]): void; reject(error: Error): void }>;
}

const THREAD_SCRIPT = new URL('./rule-check.thread.js', import.meta.url);

/**
 * Runs the rules of a batch of calls on worker threads, split evenly: the rule engine is a re-check's CPU, and one
 * thread gets one core. Built code only: run from the TypeScript sources (the jest suites), `start` answers null
 * and the caller runs the rules in its own thread.
 */
export class RuleCheckPool {
  private next = 0;

  private constructor(private readonly threads: Thread[]) {}

  static start(count: number): RuleCheckPool | null {
    if (count < 1 || !import.meta.url.endsWith('.js')) return null;
    return new RuleCheckPool(
      Array.from({ length: count }, () => {
        const thread: Thread = { worker: new Worker(THREAD_SCRIPT), sets: new Set(), pending: new Map() };
        thread.worker.on('message', (response: RuleCheckResponse) => {
          const waiting = thread.pending.get(response.id);
          thread.pending.delete(response.id);
          if ('error' in response) waiting?.reject(new Error(`rule check thread: ${response.error}`));
          else waiting?.resolve(response.findings);
        });
        const failAll = (error: Error) => {
          for (const waiting of thread.pending.values()) waiting.reject(error);
          thread.pending.clear();
        };
        thread.worker.on('error', failAll);
        thread.worker.on('exit', (code) => failAll(new Error(`rule check thread exited with code ${code}`)));
        return thread;
      }),
    );
  }

  /** Each call's rule findings, in the order of `calls`. */
  async run(ruleSet: RuleSet, calls: readonly RuleCheckCall[]): Promise<FindingDraft[][]> {
    const size = Math.ceil(calls.length / this.threads.length);
    const parts = await Promise.all(
      this.threads.map((thread, i) => {
        const chunk = calls.slice(i * size, (i + 1) * size);
        return chunk.length === 0 ? Promise.resolve([]) : this.send(thread, ruleSet, chunk);
      }),
    );
    return parts.flat();
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  private send(thread: Thread, ruleSet: RuleSet, calls: RuleCheckCall[]): Promise<FindingDraft[][]> {
    const id = this.next++;
    const request: RuleCheckRequest = { id, key: ruleSet.key, calls, ...(thread.sets.has(ruleSet.key) ? {} : { ruleSet }) };
    thread.sets.add(ruleSet.key);
    return new Promise((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      thread.worker.postMessage(request);
    });
  }
}
