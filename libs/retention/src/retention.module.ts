import { Module } from '@nestjs/common';
import { PipelineModule } from '#libs/pipeline';
import { RecordingRetentionService } from './recording-retention.service.js';

/** Recording retention per campaign. The API runs a sweep on request; apps/worker runs it on a schedule. */
@Module({
  imports: [PipelineModule],
  providers: [RecordingRetentionService],
  exports: [RecordingRetentionService],
})
export class RetentionModule {}
