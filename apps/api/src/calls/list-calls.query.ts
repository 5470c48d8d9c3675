import { ApiPropertyOptional } from '@nestjs/swagger';
import { CallPeriodPageQuery } from '../common/call-period-page.query.js';
import { IsEnum, IsOptional, IsString } from 'class-validator';

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
}
