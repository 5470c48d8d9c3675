import { Module } from '@nestjs/common';
import { WebhooksModule } from '#libs/webhooks';
import { LevelAlertService } from './level-alert.service.js';

/** Threshold judgement of groups, teams and campaigns. */
@Module({
  imports: [WebhooksModule],
  providers: [LevelAlertService],
  exports: [LevelAlertService],
})
export class LevelAlertsModule {}
