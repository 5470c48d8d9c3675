import { Inject, Injectable } from '@nestjs/common';
import type { WaveformPeaks } from '#libs/audio';
import type { CallRecord } from '#libs/db';
import { loadOrMakeWaveform } from '#libs/calls';
import { OBJECT_STORAGE, type ObjectStorage } from '#libs/storage';

/**
 * The waveform of a call's (muted) recording: the analyse-audio stage keeps it for stereo calls; anything else
 * (mono, the unredacted recording, calls analysed before) is decoded on first request and kept.
 */
@Injectable()
export class WaveformService {
  constructor(@Inject(OBJECT_STORAGE) private readonly storage: ObjectStorage) {}

  peaks(call: CallRecord, audioKey: string): Promise<WaveformPeaks> {
    return loadOrMakeWaveform(this.storage, audioKey, call.channelLayout === 'stereo' ? 2 : 1);
  }
}
