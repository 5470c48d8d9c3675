import { ApiPropertyOptional } from '@nestjs/swagger';
import { CallPeriodPageQuery } from '../common/call-period-page.query.js';
import { IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';

export class ReviewQueueQuery extends CallPeriodPageQuery {
  @ApiPropertyOptional({ enum: ['pending', 'confirmed', 'dismissed'], description: 'review state' })
  @IsOptional()
  @IsEnum(['pending', 'confirmed', 'dismissed'], { message: 'status must be one of pending, confirmed, dismissed' })
  status?: 'pending' | 'confirmed' | 'dismissed';

  @ApiPropertyOptional({ enum: ['critical', 'major', 'minor'] })
  @IsOptional()
  @IsEnum(['critical', 'major', 'minor'], { message: 'severity must be one of critical, major, minor' })
  severity?: 'critical' | 'major' | 'minor';

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  ruleId?: string;

  @ApiPropertyOptional({ description: 'rule family, e.g. guaranteed_returns' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  family?: string;

  @ApiPropertyOptional({ enum: ['rule', 'metadata', 'llm'] })
  @IsOptional()
  @IsEnum(['rule', 'metadata', 'llm'], { message: 'source must be one of rule, metadata, llm' })
  source?: 'rule' | 'metadata' | 'llm';

  @ApiPropertyOptional({ description: "agent's external id" })
  @IsOptional()
  @IsString()
  agent?: string;

  @ApiPropertyOptional({ description: 'group name' })
  @IsOptional()
  @IsString()
  group?: string;

  @ApiPropertyOptional({ description: 'team name' })
  @IsOptional()
  @IsString()
  team?: string;

  @ApiPropertyOptional({ description: "campaign's external id" })
  @IsOptional()
  @IsString()
  campaign?: string;

  @ApiPropertyOptional({ description: 'reviewer the findings are assigned to' })
  @IsOptional()
  @IsString()
  assignedTo?: string;
}
