import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsISO8601, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class ReviewQueueQuery {
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
