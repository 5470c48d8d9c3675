import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, ValidateBy } from 'class-validator';
import { IsApiDateTime } from '../common/is-api-date-time.js';

/** PostgreSQL bigint's largest value: audit ids are bigint, and a larger cursor must be a 400, not a database error. */
const MAX_BIGINT = 2n ** 63n - 1n;

export class ListAuditQuery {
  @ApiPropertyOptional({ description: 'call, finding, ...' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  entityType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  entityId?: string;

  @ApiPropertyOptional({ description: 'who acted, as the log names them: user:<email>, api-key:<name>, system' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  actor?: string;

  @ApiPropertyOptional({ description: 'an action (opt_out.removed), or a prefix ending in a dot (opt_out.) for every action of a kind' })
  @IsOptional()
  @Matches(/^[a-z_]+(\.[a-z_]+)*\.?$/, { message: 'action must be an action such as opt_out.removed, or a prefix ending in a dot such as opt_out.' })
  @MaxLength(100)
  action?: string;

  @ApiPropertyOptional({ description: 'entries about this call or naming it in their details (findings, reviews, evidence)' })
  @IsOptional()
  @IsUUID('all', { message: 'callId must be a call id (UUID)' })
  callId?: string;

  @ApiPropertyOptional({ description: 'entries at or after this instant (ISO 8601)' })
  @IsOptional()
  @IsApiDateTime({ offset: 'optional' })
  from?: string;

  @ApiPropertyOptional({ description: 'entries before this instant (ISO 8601)' })
  @IsOptional()
  @IsApiDateTime({ offset: 'optional' })
  to?: string;

  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @Matches(/^[1-9][0-9]{0,18}$/, { message: 'cursor must be a nextCursor this API returned' })
  @ValidateBy({
    name: 'isBigIntId',
    validator: { validate: (v: unknown) => typeof v === 'string' && /^[0-9]{1,19}$/.test(v) && BigInt(v) <= MAX_BIGINT, defaultMessage: () => 'cursor must be a nextCursor this API returned' },
  })
  cursor?: string;
}
