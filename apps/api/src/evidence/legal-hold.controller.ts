import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type LegalHoldState, RetentionRepository } from '#libs/db';
import { Actor } from '../audit/actor.decorator.js';
import { Roles } from '../auth/roles.decorator.js';
import { NotFoundError } from '../common/not-found.error.js';
import { validateDto } from '../common/validate-dto.js';
import { LegalHoldDto } from './legal-hold.dto.js';

const uuid = new ParseUUIDPipe({ errorHttpStatusCode: 400 });
const STATE = '{ callId, legalHold, reason, placedBy, placedAt, recordingDeletedAt }';

/** A legal hold keeps a call's recording past its campaign's retention until it is released. */
@ApiTags('evidence')
@Roles('admin', 'compliance')
@Controller('v1/calls')
export class LegalHoldController {
  constructor(private readonly retention: RetentionRepository) {}

  @Roles('admin', 'qa_lead', 'compliance')
  @Get(':id/legal-hold')
  @ApiOperation({ summary: "The call's legal hold, and whether retention has deleted its recording" })
  @ApiOkResponse({ description: STATE })
  @ApiNotFoundResponse({ description: 'no call with this id' })
  async get(@Param('id', uuid) id: string) {
    return present(id, await this.retention.legalHold(id));
  }

  @Put(':id/legal-hold')
  @ApiOperation({ summary: 'Place the call on legal hold (or change the reason); retention will not delete its recording', description: 'Audited as call.legal_hold.placed.' })
  @ApiBody({ type: LegalHoldDto })
  @ApiOkResponse({ description: STATE })
  @ApiBadRequestResponse({ description: 'no reason' })
  @ApiNotFoundResponse({ description: 'no call with this id' })
  async place(@Param('id', uuid) id: string, @Body() body: unknown, @Actor() actor: string) {
    const dto = await validateDto(LegalHoldDto, body ?? {}, '');
    return present(id, await this.retention.placeLegalHold(id, dto.reason.trim(), actor));
  }

  @Delete(':id/legal-hold')
  @ApiOperation({ summary: "Release the call's legal hold; retention applies again at the next sweep", description: 'Audited as call.legal_hold.released.' })
  @ApiOkResponse({ description: STATE })
  @ApiNotFoundResponse({ description: 'no call with this id' })
  async release(@Param('id', uuid) id: string, @Actor() actor: string) {
    return present(id, await this.retention.releaseLegalHold(id, actor));
  }
}

function present(id: string, state: LegalHoldState | null) {
  if (!state) throw new NotFoundError('call', id);
  return {
    callId: state.callId,
    legalHold: state.legalHold,
    reason: state.reason,
    placedBy: state.placedBy,
    placedAt: state.placedAt?.toISOString() ?? null,
    recordingDeletedAt: state.recordingDeletedAt?.toISOString() ?? null,
  };
}
