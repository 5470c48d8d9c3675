import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsInt, IsNumber, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { Nullable } from '../common/nullable.js';

export class CreateQuestionDto {
  @ApiProperty({ description: "the question's key: an answer's questionId, an llm finding's ruleId", example: 'acme_name_given' })
  @IsString()
  key!: string;

  @ApiProperty({ description: 'the first draft (see LlmQuestionContent)' })
  @IsObject()
  question!: Record<string, unknown>;
}

export class SaveQuestionDraftDto {
  @ApiProperty({ description: 'the whole draft (see LlmQuestionContent)' })
  @IsObject()
  question!: Record<string, unknown>;
}

export class ForkQuestionDto {
  @ApiProperty({ description: 'the new question key', example: 'acme_returns_promised' })
  @IsString()
  key!: string;

  @ApiProperty({ description: 'the campaign (external id or id) the copy belongs to', example: 'fund-q4' })
  @IsString()
  @MinLength(1)
  campaign!: string;

  @ApiPropertyOptional({ description: 'the published version to fork; default the live one' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class TestQuestionDto {
  @ApiProperty({ description: 'a pasted transcript, one utterance a line; "agent:" or "customer:" in front sets the speaker', example: 'agent: This fund has guaranteed returns.' })
  @IsString()
  @MinLength(1)
  @MaxLength(100_000)
  text!: string;

  @ApiPropertyOptional({ description: "the transcript's language (en, zh...); default: guessed from the text" })
  @IsOptional()
  @IsString()
  @MaxLength(20)
  language?: string;

  @ApiPropertyOptional({ description: 'a published version to try; default the draft (else the live version)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class QuestionChangeNoteDto {
  @ApiProperty({ description: 'why: kept in the audit log with the field diff', example: 'ask for the full name, per the May audit' })
  @IsString()
  @Matches(/\S/, { message: 'must say what changed and why' })
  @MaxLength(2000)
  note!: string;
}

export class QuestionRollbackDto extends QuestionChangeNoteDto {
  @ApiProperty({ description: 'the published version to make live again' })
  @IsInt()
  @Min(1)
  version!: number;
}

export class CampaignLlmSettingsDto {
  @ApiProperty({ description: "question keys this campaign's calls do not ask (system questions or its own)", type: [String] })
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  disabledQuestions!: string[];

  @ApiProperty({ description: 'USD per UTC day across the campaign\'s calls; calls past it skip the LLM checks. null: no ceiling', type: Number, nullable: true })
  @Nullable()
  @ValidateIf((_o, v) => v !== null)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1_000_000)
  dailyCostCeilingUsd!: number | null;
}
