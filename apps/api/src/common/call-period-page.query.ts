import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsISO8601, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

/** Query fields shared by lists of calls and of their findings: the calls' start period and cursor paging. */
export class CallPeriodPageQuery {
  @ApiPropertyOptional({ description: 'calls started at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601({}, { message: 'from must be an ISO 8601 date-time' })
  from?: string;

  @ApiPropertyOptional({ description: 'calls started before (ISO 8601)' })
  @IsOptional()
  @IsISO8601({}, { message: 'to must be an ISO 8601 date-time' })
  to?: string;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
}
