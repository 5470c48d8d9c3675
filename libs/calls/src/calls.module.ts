import { Module } from '@nestjs/common';
import { CallQueryService } from './call-query.service.js';
import { IngestService } from './ingest.service.js';
import { TranscriptImportService } from './transcript-import.service.js';

/** Calls coming in (uploads, transcript imports, re-runs) and the call read model. Storage and queues are global. */
@Module({
  providers: [IngestService, TranscriptImportService, CallQueryService],
  exports: [IngestService, TranscriptImportService, CallQueryService],
})
export class CallsModule {}
