import { Module } from '@nestjs/common';
import { RetentionModule } from '#libs/retention';
import { RetentionController } from './retention.controller.js';

/** POST /v1/retention/sweep, GET /v1/retention/schedule. */
@Module({
  imports: [RetentionModule],
  controllers: [RetentionController],
})
export class RetentionApiModule {}
