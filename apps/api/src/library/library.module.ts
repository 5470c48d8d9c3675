import { Module } from '@nestjs/common';
import { LibraryCollectionsController } from './library-collections.controller.js';
import { LibraryExportService } from './library-export.service.js';
import { LibraryItemsService } from './library-items.service.js';
import { LibrarySearchController } from './library-search.controller.js';

/** The trainer library: collections of good and bad examples, example search, pull-examples queries and zip export. */
@Module({
  controllers: [LibraryCollectionsController, LibrarySearchController],
  providers: [LibraryItemsService, LibraryExportService],
})
export class LibraryModule {}
