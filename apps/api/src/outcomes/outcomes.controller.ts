import { Body, Controller, HttpCode, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequestValidationError } from '../common/request-validation.error.js';
import { COMPLAINT_CATEGORIES, MAX_OUTCOMES_PER_IMPORT, OUTCOME_DISPOSITIONS, OutcomeImportService, parseOutcomeCsv, parseOutcomeJson } from './outcome-import.service.js';
import { Roles } from '../auth/roles.decorator.js';
import { ApiJsonBodySchema } from '../common/openapi.js';
import { discardPart, partBytes } from '../common/upload-storage.js';

const OUTCOMES_BODY = {
  type: 'object',
  required: ['outcomes'],
  properties: {
    outcomes: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_OUTCOMES_PER_IMPORT,
      items: {
        type: 'object',
        required: ['callId'],
        additionalProperties: false,
        properties: {
          callId: { type: 'string', minLength: 1, description: "the call id or the dialer's external id" },
          disposition: { type: ['string', 'null'], enum: [...OUTCOME_DISPOSITIONS, null] },
          intentConfirmed: { type: ['boolean', 'null'] },
          sale: { type: ['boolean', 'null'] },
          csat: { type: ['integer', 'null'], minimum: 1, maximum: 5 },
          complaint: {
            type: ['object', 'null'],
            required: ['category'],
            properties: { category: { type: 'string', enum: [...COMPLAINT_CATEGORIES] }, note: { type: 'string' }, receivedAt: { type: 'string', format: 'date-time' } },
          },
        },
      },
    },
  },
};

@ApiTags('outcomes')
@Roles('admin', 'integration')
@Controller('v1/outcomes')
export class OutcomesController {
  constructor(private readonly importer: OutcomeImportService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Import outcomes as JSON: { outcomes: [{ callId, disposition?, intentConfirmed?, sale?, csat?, complaint?: { category, note? } }] }',
    description: 'callId is the call id or the external id given at upload. Unknown ids are listed in unknownCallIds; the rest are applied.',
  })
  @ApiJsonBodySchema(OUTCOMES_BODY)
  async importJson(@Body() body: unknown) {
    return this.importer.import(parseOutcomeJson(body));
  }

  @Post('csv')
  @HttpCode(200)
  @ApiOperation({ summary: 'Import outcomes as a CSV file (multipart field "file"): call_id, disposition, intent_confirmed, sale, csat, complaint_category, complaint_note' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @UseInterceptors(FileInterceptor('file'))
  async importCsv(@UploadedFile() file: Express.Multer.File | undefined) {
    if (!file) throw new RequestValidationError(['file: a CSV file is required (multipart field "file")']);
    try {
      return await this.importer.import(parseOutcomeCsv((await partBytes(file)).toString('utf8')));
    } finally {
      await discardPart(file);
    }
  }
}
