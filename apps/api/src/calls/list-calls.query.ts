import { ApiPropertyOptional } from '@nestjs/swagger';
import { CallPeriodPageQuery } from '../common/call-period-page.query.js';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsEnum, IsNumber, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class ListCallsQuery extends CallPeriodPageQuery {
  @ApiPropertyOptional({ enum: ['queued', 'processing', 'completed', 'failed'] })
  @IsOptional()
  @IsEnum(['queued', 'processing', 'completed', 'failed'], {
    message: 'status must be one of queued, processing, completed, failed',
  })
  status?: 'queued' | 'processing' | 'completed' | 'failed';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  agent?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  campaign?: string;

  @ApiPropertyOptional({ description: 'team name' })
  @IsOptional()
  @IsString()
  team?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, description: 'lowest QA score, inclusive' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({}, { message: 'minScore must be a number' })
  @Min(0)
  @Max(100)
  minScore?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, description: 'highest QA score, inclusive' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber({}, { message: 'maxScore must be a number' })
  @Min(0)
  @Max(100)
  maxScore?: number;

  @ApiPropertyOptional({ description: 'true: only calls with a critical finding that was not dismissed; false: only calls without' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'hasCritical must be true or false' })
  hasCritical?: boolean;

  @ApiPropertyOptional({ description: "text in the call's external id or the customer's phone number" })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}
