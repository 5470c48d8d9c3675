import { Module } from '@nestjs/common';
import { PipelineModule } from '#libs/pipeline';
import { MediaController } from './media.controller.js';
import { MediaResponder } from './media-responder.js';

/** GET /v1/calls/:id/audio and /v1/findings/:id/clip. */
@Module({
  imports: [PipelineModule],
  controllers: [MediaController],
  providers: [MediaResponder],
})
export class MediaModule {}
