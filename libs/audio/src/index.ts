export * from './unreadable-audio.error.js';
export * from './probe-audio.js';
export * from './decode-pcm.js';
export * from './frame-activity.js';
export * from './detect-voice-activity.js';
export * from './cut-clip.js';
export * from './mute-spans.js';
export { SileroFrameClassifier, sileroWeightsPath } from './silero-frame-classifier.js';
export * from './waveform-peaks.js';
