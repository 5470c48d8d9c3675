import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsApiDateTime } from './is-api-date-time.js';

/** The calls' start period, as lists and the rule backtest filter it. */
export class CallPeriodQuery {
  @ApiPropertyOptional({ description: 'calls started at or after (ISO 8601)' })
  @IsOptional()
  @IsApiDateTime({ offset: 'optional' })
  from?: string;

  @ApiPropertyOptional({ description: 'calls started before (ISO 8601)' })
  @IsOptional()
  @IsApiDateTime({ offset: 'optional' })
  to?: string;
}
