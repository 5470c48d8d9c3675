import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { CallPeriodQuery } from '../common/call-period.query.js';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';

export class BacktestFilterDto extends CallPeriodQuery {
  @ApiPropertyOptional({ description: 'calls started in the last N days', example: 30 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3660)
  lastDays?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  agent?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  campaign?: string;

  @ApiPropertyOptional({ type: [String], description: 'only these calls' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(5000)
  @IsUUID('all', { each: true, message: 'callIds must hold call ids (uuids)' })
  callIds?: string[];

  @ApiPropertyOptional({ description: 'at most this many calls (newest first); over 5000 only as a background backtest of a pack draft', default: 500, maximum: 200000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(200_000)
  limit?: number;
}

export class BacktestDto {
  @ApiPropertyOptional({ description: 'a draft rule pack (same format as libs/rules/packs/*.yaml, as JSON)' })
  @IsOptional()
  @IsObject()
  pack?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'a single draft rule (wrapped into a one-rule pack)' })
  @IsOptional()
  @IsObject()
  rule?: Record<string, unknown>;

  @ApiPropertyOptional({ type: BacktestFilterDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => BacktestFilterDto)
  filter?: BacktestFilterDto;

  @ApiPropertyOptional({ default: 3, minimum: 0, maximum: 20 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(20)
  examplesPerRule?: number;
}

export class RuleDraftDto {
  @ApiPropertyOptional({ description: 'a draft rule pack (YAML pack format, as JSON)' })
  @IsOptional()
  @IsObject()
  pack?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'a single draft rule (wrapped into a one-rule pack)' })
  @IsOptional()
  @IsObject()
  rule?: Record<string, unknown>;
}

export class TestOnTextDto extends RuleDraftDto {
  @ApiProperty({ description: 'the utterance(s) to test, one per line; "customer: ..." sets a line\'s speaker', example: 'agent: this fund has guaranteed returns' })
  @IsString()
  @MinLength(1)
  @MaxLength(20_000)
  text!: string;

  @ApiPropertyOptional({ enum: ['agent', 'customer'], default: 'agent', description: 'speaker of lines without a prefix' })
  @IsOptional()
  @IsIn(['agent', 'customer'])
  speaker?: 'agent' | 'customer';

  @ApiPropertyOptional({ enum: ['en', 'zh'], description: 'default: detected from the text' })
  @IsOptional()
  @IsIn(['en', 'zh'])
  language?: 'en' | 'zh';
}
