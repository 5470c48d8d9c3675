import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RecordingRetentionService } from '#libs/retention';
import { Actor } from '../audit/actor.decorator.js';
import { Roles } from '../auth/roles.decorator.js';

@ApiTags('retention')
@Roles('admin')
@Controller('v1/retention')
export class RetentionController {
  constructor(private readonly retention: RecordingRetentionService) {}

  @Post('sweep')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Delete now the recordings past their campaign retention (the worker also does it every RETENTION_SWEEP_INTERVAL_MINUTES)',
    description:
      'Deletes each due recording, its redacted copy and the clips of findings not confirmed; findings, confirmed clips, ' +
      'transcripts and the audit log stay. Calls on legal hold are skipped and counted. Each deletion is audited as recording.deleted.',
  })
  @ApiOkResponse({ description: '{ deletedCalls: [callId], heldCalls: n, failedCalls: [callId] }' })
  async sweep(@Actor() actor: string) {
    return this.retention.sweep({ requestedBy: actor });
  }
}
