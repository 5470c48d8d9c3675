import { QueueName } from './queue-names.js';

/** A stage's one name: the call's currentStage, the job's name, its metrics label and its failure's stage. */
export type PipelineStage = 'transcribe' | 'analyse-audio' | 'check' | 'score' | 'clip' | 'rollup';

export interface StageDefinition {
  stage: PipelineStage;
  /** the lane it runs in; consecutive stages of one lane run back to back in one job */
  queue: QueueName;
  /** the stage that follows once this one's result is committed; null ends the pipeline */
  next: PipelineStage | null;
}

/** The stage graph: the one place that says what follows what, and which stages share a job. */
export const PIPELINE: Readonly<Record<PipelineStage, StageDefinition>> = {
  transcribe: { stage: 'transcribe', queue: QueueName.Transcribe, next: 'analyse-audio' },
  'analyse-audio': { stage: 'analyse-audio', queue: QueueName.Analysis, next: 'check' },
  check: { stage: 'check', queue: QueueName.Analysis, next: 'score' },
  score: { stage: 'score', queue: QueueName.Analysis, next: 'clip' },
  clip: { stage: 'clip', queue: QueueName.Analysis, next: 'rollup' },
  rollup: { stage: 'rollup', queue: QueueName.Analysis, next: null },
};

export const FIRST_STAGE: PipelineStage = 'transcribe';

export const STAGES: readonly PipelineStage[] = orderedStages();

/**
 * The lane a stage's job goes to. Transcription waits on the provider, so it has a lane of its own; a call that came
 * with its transcript needs no provider, and its transcribe stage (parsing the sidecar) runs in the analysis lane
 * with everything after it: one job for the whole call.
 */
export function laneOf(stage: PipelineStage, call: { transcriptSupplied: boolean }): QueueName {
  return stage === 'transcribe' && call.transcriptSupplied ? QueueName.Analysis : PIPELINE[stage].queue;
}

/** Deterministic job id: the same call and stage can be queued only once at a time. BullMQ forbids ':' in ids. */
export function stageJobId(callId: string, stage: PipelineStage): string {
  return `${callId}.${stage}`;
}

function orderedStages(): PipelineStage[] {
  const order: PipelineStage[] = [];
  for (let stage: PipelineStage | null = FIRST_STAGE; stage; stage = PIPELINE[stage].next) order.push(stage);
  return order;
}

/** Whether a stored stage name (a call's currentStage, a job's name) names a stage of the pipeline. */
export function isPipelineStage(name: unknown): name is PipelineStage {
  return typeof name === 'string' && Object.hasOwn(PIPELINE, name);
}
