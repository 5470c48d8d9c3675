import { PIPELINE, STAGES, stageJobId, stageOfJob } from './pipeline.js';
import { JobName, QueueName } from './queue-names.js';
import { parseCallJobPayload } from './job-payloads.js';

describe('pipeline graph', () => {
  it('orders every stage once, from transcribe to rollup', () => {
    expect(STAGES).toEqual(['transcribe', 'analyse-audio', 'check', 'score', 'clip', 'rollup']);
  });

  it('gives each stage its own queue and job name', () => {
    const queues = new Set(Object.values(PIPELINE).map((s) => s.queue));
    const jobs = new Set(Object.values(PIPELINE).map((s) => s.job));
    expect(queues).toEqual(new Set(Object.values(QueueName)));
    expect(jobs).toEqual(new Set(Object.values(JobName)));
  });

  it('maps a job name back to its stage', () => {
    expect(stageOfJob(JobName.ScoreCall).stage).toBe('score');
  });

  it('builds job ids without the colon BullMQ rejects', () => {
    const id = stageJobId('0b6f0c7e-1a7c-4c55-9d0a-4f0d8f3a3b11', 'check');
    expect(id).toBe('0b6f0c7e-1a7c-4c55-9d0a-4f0d8f3a3b11.check');
    expect(id).not.toContain(':');
  });
});

describe('parseCallJobPayload', () => {
  it('accepts a uuid call id', () => {
    expect(parseCallJobPayload({ callId: '0b6f0c7e-1a7c-4c55-9d0a-4f0d8f3a3b11', extra: 1 })).toEqual({
      callId: '0b6f0c7e-1a7c-4c55-9d0a-4f0d8f3a3b11',
    });
  });
  it.each([null, 'x', {}, { callId: 42 }, { callId: 'not-a-uuid' }])('rejects %j', (payload) => {
    expect(() => parseCallJobPayload(payload)).toThrow(/invalid job payload/);
  });
});
