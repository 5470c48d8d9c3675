import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { CallPeriodQuery } from '../common/call-period.query.js';
import { Nullable } from '../common/nullable.js';
import { MAX_TOPIC_LENGTH } from './library-content.js';

const LABELS = ['good', 'bad'] as const;
const LABEL_MESSAGE = 'label must be good or bad';

export class CreateCollectionDto {
  @ApiProperty({ example: 'Price objections handled well' })
  @IsString({ message: 'name must be a string' })
  @MaxLength(200)
  name!: string;

  @ApiPropertyOptional()
  @Nullable()
  @IsOptional()
  @IsString({ message: 'description must be a string' })
  @MaxLength(4000)
  description?: string | null;
}

export class UpdateCollectionDto {
  @ApiPropertyOptional()
  @ValidateIf((dto: UpdateCollectionDto) => dto.name !== undefined)
  @IsString({ message: 'name must be a string' })
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ description: 'null clears it' })
  @Nullable()
  @IsOptional()
  @IsString({ message: 'description must be a string' })
  @MaxLength(4000)
  description?: string | null;
}

/** Either a finding (its call and time span) or a span of a call. */
export class AddItemDto {
  @ApiPropertyOptional({ description: "a timed finding: the item is the finding's span of its call" })
  @IsOptional()
  @IsUUID('all', { message: 'findingId must be a UUID' })
  findingId?: string;

  @ApiPropertyOptional({ description: 'with startSeconds and endSeconds, instead of findingId' })
  @IsOptional()
  @IsUUID('all', { message: 'callId must be a UUID' })
  callId?: string;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional()
  @IsNumber({}, { message: 'startSeconds must be a number' })
  @Min(0)
  startSeconds?: number;

  @ApiPropertyOptional({ minimum: 0 })
  @IsOptional()
  @IsNumber({}, { message: 'endSeconds must be a number' })
  @Min(0)
  endSeconds?: number;

  @ApiProperty({ enum: LABELS })
  @IsIn(LABELS, { message: LABEL_MESSAGE })
  label!: 'good' | 'bad';

  @ApiPropertyOptional({ type: [String], description: 'trimmed, lower-cased, deduplicated; at most 20' })
  @IsOptional()
  @IsArray({ message: 'topics must be an array of strings' })
  @ArrayMaxSize(100)
  @IsString({ each: true, message: 'topics must be an array of strings' })
  @MaxLength(MAX_TOPIC_LENGTH, { each: true })
  topics?: string[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString({ message: 'notes must be a string' })
  @MaxLength(4000)
  notes?: string;
}

export class UpdateItemDto {
  @ApiPropertyOptional({ enum: LABELS })
  @ValidateIf((dto: UpdateItemDto) => dto.label !== undefined)
  @IsIn(LABELS, { message: LABEL_MESSAGE })
  label?: 'good' | 'bad';

  @ApiPropertyOptional({ type: [String], description: 'replaces the topics' })
  @ValidateIf((dto: UpdateItemDto) => dto.topics !== undefined)
  @IsArray({ message: 'topics must be an array of strings' })
  @ArrayMaxSize(100)
  @IsString({ each: true, message: 'topics must be an array of strings' })
  @MaxLength(MAX_TOPIC_LENGTH, { each: true })
  topics?: string[];

  @ApiPropertyOptional({ description: 'null clears them' })
  @Nullable()
  @IsOptional()
  @IsString({ message: 'notes must be a string' })
  @MaxLength(4000)
  notes?: string | null;
}

export class PageQuery {
  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer from 1 to 200' })
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
}

export class SearchItemsQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'items tagged with this topic (matched case-insensitively)' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_TOPIC_LENGTH)
  topic?: string;

  @ApiPropertyOptional({ enum: LABELS })
  @IsOptional()
  @IsIn(LABELS, { message: LABEL_MESSAGE })
  label?: 'good' | 'bad';

  @ApiPropertyOptional({ description: 'collection id' })
  @IsOptional()
  @IsUUID('all', { message: 'collection must be a collection id (UUID)' })
  collection?: string;
}

export class ExamplesQuery extends CallPeriodQuery {
  @ApiPropertyOptional({ description: 'scorecard criterion id: calls whose evaluation failed it' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  criterion?: string;

  @ApiPropertyOptional({ description: "campaign's external id" })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  campaign?: string;

  @ApiPropertyOptional({ description: "agent's external id" })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  agent?: string;

  @ApiPropertyOptional({ enum: ['worst', 'best'], description: 'by evaluation score; default worst with a criterion, else best' })
  @IsOptional()
  @IsIn(['worst', 'best'], { message: 'order must be worst or best' })
  order?: 'worst' | 'best';

  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer from 1 to 100' })
  @Min(1)
  @Max(100)
  limit?: number;
}
