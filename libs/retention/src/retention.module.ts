import { Module } from '@nestjs/common';
import { RecordingRetentionService } from './recording-retention.service.js';

/** Recording retention per campaign. The API runs a sweep on request; apps/worker runs it on a schedule. */
@Module({
  providers: [RecordingRetentionService],
  exports: [RecordingRetentionService],
})
export class RetentionModule {}
