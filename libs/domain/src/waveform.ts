/** points per channel of a stored waveform: about one per pixel of a wide screen */
export const WAVEFORM_BUCKETS = 2000;

/** Where the waveform of a stored recording is kept: beside it, named after it, so a new muted copy gets its own. */
export function waveformKey(audioKey: string): string {
  return `waveforms/${audioKey}.${WAVEFORM_BUCKETS}.json`;
}
