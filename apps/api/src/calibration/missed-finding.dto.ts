import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, MaxLength, Min } from 'class-validator';

export class MissedFindingDto {
  @ApiProperty({ description: 'the rule id (or LLM question id) that should have raised a finding here', example: 'guarantee.explicit' })
  @IsString()
  @Matches(/^\S.{0,199}$/s, { message: 'ruleId: 1-200 characters, not starting with a space' })
  ruleId!: string;

  @ApiPropertyOptional({ enum: ['rule', 'llm'], default: 'rule', description: 'rule: a rule pack rule; llm: an LLM question' })
  @IsOptional()
  @IsIn(['rule', 'llm'], { message: 'source must be rule or llm' })
  source?: 'rule' | 'llm';

  @ApiProperty({ description: 'the words that should have matched, as in the transcript' })
  @IsString()
  @Matches(/\S/, { message: 'quote: must not be empty' })
  @MaxLength(2000)
  quote!: string;

  @ApiPropertyOptional({ description: 'the transcript segment the quote is in' })
  @IsOptional()
  @IsInt()
  @Min(0)
  segmentIndex?: number;

  @ApiPropertyOptional({ description: 'where in the call, in seconds' })
  @IsOptional()
  @IsNumber()
  @Min(0)
  startSeconds?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsNumber()
  @Min(0)
  endSeconds?: number;

  @ApiPropertyOptional({ description: "the reviewer's note" })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}
