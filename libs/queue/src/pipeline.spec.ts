import { PIPELINE, STAGES, isPipelineStage, laneOf, stageJobId } from './pipeline.js';
import { QueueName } from './queue-names.js';
import { parseCallJobPayload } from './job-payloads.js';

describe('pipeline graph', () => {
  it('orders every stage once, from transcribe to rollup', () => {
    expect(STAGES).toEqual(['transcribe', 'analyse-audio', 'check', 'score', 'clip', 'rollup']);
  });

  it('puts transcription in a lane of its own and everything after it in the analysis lane', () => {
    expect(STAGES.map((stage) => PIPELINE[stage].queue)).toEqual([
      QueueName.Transcribe,
      QueueName.Analysis,
      QueueName.Analysis,
      QueueName.Analysis,
      QueueName.Analysis,
      QueueName.Analysis,
    ]);
    expect(new Set(Object.values(PIPELINE).map((s) => s.queue))).toEqual(new Set(Object.values(QueueName)));
  });

  it('runs the transcribe stage of a call that came with its transcript in the analysis lane', () => {
    expect(laneOf('transcribe', { transcriptSupplied: true })).toBe(QueueName.Analysis);
    expect(laneOf('transcribe', { transcriptSupplied: false })).toBe(QueueName.Transcribe);
    expect(laneOf('score', { transcriptSupplied: false })).toBe(QueueName.Analysis);
  });

  it('knows its own stage names only', () => {
    expect(isPipelineStage('check')).toBe(true);
    expect(isPipelineStage('check-call')).toBe(false);
    expect(isPipelineStage('constructor')).toBe(false);
  });

  it('builds job ids without the colon BullMQ rejects', () => {
    const id = stageJobId('0b6f0c7e-1a7c-4c55-9d0a-4f0d8f3a3b11', 'check');
    expect(id).toBe('0b6f0c7e-1a7c-4c55-9d0a-4f0d8f3a3b11.check');
    expect(id).not.toContain(':');
  });
});

describe('parseCallJobPayload', () => {
  const callId = '0b6f0c7e-1a7c-4c55-9d0a-4f0d8f3a3b11';
  it('accepts a uuid call id, and a stage to resume at', () => {
    expect(parseCallJobPayload({ callId, extra: 1 })).toEqual({ callId });
    expect(parseCallJobPayload({ callId, resumeAt: 'score' })).toEqual({ callId, resumeAt: 'score' });
  });
  it.each([null, 'x', {}, { callId: 42 }, { callId: 'not-a-uuid' }, { callId, resumeAt: 'nowhere' }])('rejects %j', (payload) => {
    expect(() => parseCallJobPayload(payload)).toThrow(/invalid job payload/);
  });
});
