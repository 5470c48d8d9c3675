import { type WaveformPeaks, waveformPeaks } from '#libs/audio';
import { WAVEFORM_BUCKETS, waveformKey } from '#libs/domain';
import { type ObjectStorage, readObject, withLocalCopy } from '#libs/storage';


export async function saveWaveform(storage: ObjectStorage, audioKey: string, peaks: WaveformPeaks): Promise<void> {
  const body = Buffer.from(JSON.stringify(peaks));
  await storage.put(waveformKey(audioKey), body, { contentType: 'application/json', size: body.length });
}

/** The recording's waveform: kept from the analyse-audio stage, else decoded now and kept for the next reader. */
export async function loadOrMakeWaveform(storage: ObjectStorage, audioKey: string, channels: 1 | 2): Promise<WaveformPeaks> {
  const key = waveformKey(audioKey);
  if (await storage.stat(key)) return JSON.parse((await readObject(storage, key)).toString('utf8')) as WaveformPeaks;
  const peaks = await withLocalCopy(storage, audioKey, (path) => waveformPeaks(path, channels, WAVEFORM_BUCKETS));
  await saveWaveform(storage, audioKey, peaks);
  return peaks;
}
