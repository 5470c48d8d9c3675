import { JobName } from '#libs/queue';
import { type StageProcessor, indexProcessors } from './stage-processor.js';

const processorFor = (jobName: JobName): StageProcessor => ({ jobName, process: async () => undefined });
const all = Object.values(JobName).map(processorFor);

describe('indexProcessors', () => {
  it('indexes one processor per job name', () => {
    const index = indexProcessors(all);
    expect([...index.keys()].sort()).toEqual(Object.values(JobName).sort());
  });

  it('refuses a job name without a processor, naming it', () => {
    expect(() => indexProcessors(all.filter((p) => p.jobName !== JobName.ClipFindings))).toThrow(
      'refusing to start the worker: job clip-findings has no processor',
    );
  });

  it('refuses a job name with two processors, naming it', () => {
    expect(() => indexProcessors([...all, processorFor(JobName.ScoreCall)])).toThrow(/job score-call has two processors/);
  });
});
