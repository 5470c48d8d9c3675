import { Inject, Injectable } from '@nestjs/common';
import { type WaveformPeaks, waveformPeaks } from '#libs/audio';
import type { CallRecord } from '#libs/db';
import { OBJECT_STORAGE, type ObjectStorage, readObject, withLocalCopy } from '#libs/storage';

const BUCKETS = 2000;

/**
 * The waveform of a call's (muted) recording, computed once and kept beside it in storage, so the console draws a
 * 60-minute call without downloading and decoding it.
 */
@Injectable()
export class WaveformService {
  constructor(@Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage) {}

  async peaks(call: CallRecord, audioKey: string): Promise<WaveformPeaks> {
    const cacheKey = `waveforms/${audioKey}.${BUCKETS}.json`;
    if (await this.storage.stat(cacheKey)) return JSON.parse((await readObject(this.storage, cacheKey)).toString('utf8')) as WaveformPeaks;
    const peaks = await withLocalCopy(this.storage, audioKey, (path) => waveformPeaks(path, call.channelLayout === 'stereo' ? 2 : 1, BUCKETS));
    const body = Buffer.from(JSON.stringify(peaks));
    await this.storage.put(cacheKey, body, { contentType: 'application/json', size: body.length });
    return peaks;
  }
}
