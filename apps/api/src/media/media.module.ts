import { Module } from '@nestjs/common';
import { MediaController } from './media.controller.js';
import { MediaResponder } from './media-responder.js';
import { WaveformService } from './waveform.service.js';

/** GET /v1/calls/:id/audio, /v1/calls/:id/waveform and /v1/findings/:id/clip. */
@Module({
  controllers: [MediaController],
  providers: [MediaResponder, WaveformService],
})
export class MediaModule {}
