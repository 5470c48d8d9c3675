import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateBy } from 'class-validator';

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
