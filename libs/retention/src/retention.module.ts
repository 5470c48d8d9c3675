import { Module } from '@nestjs/common';
import { HousekeepingService } from './housekeeping.service.js';
import { RecordingRetentionService } from './recording-retention.service.js';

/** Recording retention per campaign. The API runs a sweep on request; apps/worker runs it on a schedule. */
@Module({
  providers: [RecordingRetentionService, HousekeepingService],
  exports: [RecordingRetentionService, HousekeepingService],
})
export class RetentionModule {}
