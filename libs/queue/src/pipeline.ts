import { JobName, QueueName } from './queue-names.js';

export type PipelineStage = 'transcribe' | 'analyse-audio' | 'check' | 'score' | 'clip' | 'rollup';

export interface StageDefinition {
  stage: PipelineStage;
  queue: QueueName;
  job: JobName;
  /** the stage enqueued once this one's result is committed; null ends the pipeline */
  next: PipelineStage | null;
}

/** The stage graph: the one place that says what follows what. */
export const PIPELINE: Readonly<Record<PipelineStage, StageDefinition>> = {
  transcribe: { stage: 'transcribe', queue: QueueName.Transcribe, job: JobName.TranscribeCall, next: 'analyse-audio' },
  'analyse-audio': { stage: 'analyse-audio', queue: QueueName.AnalyseAudio, job: JobName.AnalyseCallAudio, next: 'check' },
  check: { stage: 'check', queue: QueueName.Check, job: JobName.CheckCall, next: 'score' },
  score: { stage: 'score', queue: QueueName.Score, job: JobName.ScoreCall, next: 'clip' },
  clip: { stage: 'clip', queue: QueueName.Clip, job: JobName.ClipFindings, next: 'rollup' },
  rollup: { stage: 'rollup', queue: QueueName.Rollup, job: JobName.RollupCall, next: null },
};

export const FIRST_STAGE: PipelineStage = 'transcribe';

export const STAGES: readonly PipelineStage[] = orderedStages();

export function stageOfJob(job: JobName): StageDefinition {
  const found = Object.values(PIPELINE).find((definition) => definition.job === job);
  if (!found) throw new Error(`no pipeline stage runs job ${job}`);
  return found;
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

/** Whether a stored stage name (a call's currentStage) names a stage of the pipeline. */
export function isPipelineStage(name: string): name is PipelineStage {
  return Object.hasOwn(PIPELINE, name);
}
