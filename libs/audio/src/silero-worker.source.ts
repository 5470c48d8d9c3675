/**
 * Source of the worker thread that runs Silero VAD. ONNX Runtime runs in a plain worker thread because its native
 * tensors fail instanceof checks inside sandboxed VM realms (Jest), and because inference then overlaps decoding.
 * Plain CommonJS evaluated by `new Worker(source, { eval: true })`, so it needs no build step.
 */
export const SILERO_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ortPath);
const sessionPromise = ort.InferenceSession.create(workerData.modelPath, {
  intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
});
const streams = new Map();
let chain = Promise.resolve();
parentPort.on('message', (msg) => {
  chain = chain.then(() => handle(msg)).catch((err) => {
    parentPort.postMessage({ id: msg.id, seq: msg.seq, error: String(err && err.stack || err) });
  });
});
async function handle(msg) {
  if (msg.type === 'open') {
    const window = msg.sampleRate === 16000 ? 512 : 256;
    const context = msg.sampleRate === 16000 ? 64 : 32;
    streams.set(msg.id, {
      channels: msg.channels, window, context,
      state: new Float32Array(2 * msg.channels * 128),
      input: new Float32Array(msg.channels * (window + context)),
      sr: new ort.Tensor('int64', BigInt64Array.from([BigInt(msg.sampleRate)])),
    });
    return;
  }
  if (msg.type === 'close') { streams.delete(msg.id); return; }
  const s = streams.get(msg.id);
  const session = await sessionPromise;
  const [probName, stateName] = session.outputNames;
  const frames = Math.floor(msg.data[0].length / s.window);
  const row = s.window + s.context;
  const probs = msg.data.map(() => new Float32Array(frames));
  for (let f = 0; f < frames; f++) {
    for (let c = 0; c < s.channels; c++) {
      const base = c * row;
      // the model's context is the tail of the previous window of the same channel
      s.input.copyWithin(base, base + s.window, base + row);
      s.input.set(msg.data[c].subarray(f * s.window, (f + 1) * s.window), base + s.context);
    }
    const out = await session.run({
      input: new ort.Tensor('float32', s.input, [s.channels, row]),
      state: new ort.Tensor('float32', s.state, [2, s.channels, 128]),
      sr: s.sr,
    });
    s.state = out[stateName].data;
    const p = out[probName].data;
    for (let c = 0; c < s.channels; c++) probs[c][f] = p[c];
  }
  parentPort.postMessage({ id: msg.id, seq: msg.seq, probs }, probs.map((p) => p.buffer));
}
`;
