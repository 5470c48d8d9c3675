import { setTimeout as sleep } from 'node:timers/promises';
import { acquireProcessSlot, processSlotUse } from './process-slots.js';
import { runTool } from './run-process.js';

describe('audio process slots', () => {
  it('runs at most the cores\' worth of processes at once and hands each freed slot to the next in line', async () => {
    const { max } = processSlotUse();
    const held = await Promise.all(Array.from({ length: max }, () => acquireProcessSlot()));
    expect(processSlotUse()).toMatchObject({ running: max, waiting: 0 });
    const order: number[] = [];
    const later = [1, 2].map((n) => acquireProcessSlot().then((release) => (order.push(n), release)));
    await sleep(10);
    expect(processSlotUse()).toMatchObject({ running: max, waiting: 2 });
    expect(order).toEqual([]);
    held[0]?.();
    // releasing twice frees nothing more
    held[0]?.();
    const first = await later[0];
    expect(order).toEqual([1]);
    expect(processSlotUse()).toMatchObject({ running: max, waiting: 1 });
    held[1]?.();
    const second = await later[1];
    expect(order).toEqual([1, 2]);
    for (const release of [...held.slice(2), first, second]) release?.();
    expect(processSlotUse()).toMatchObject({ running: 0, waiting: 0 });
  });

  it('gives the slot back when a process fails', async () => {
    const result = await runTool('ffprobe', ['-v', 'error', '/nonexistent/file.wav']);
    expect(result.code).not.toBe(0);
    expect(processSlotUse()).toMatchObject({ running: 0, waiting: 0 });
  });
});
