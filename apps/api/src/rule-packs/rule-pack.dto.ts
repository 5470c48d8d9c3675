import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, Max, IsInt, IsObject, IsOptional, IsString, Matches, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { BacktestFilterDto } from '../rules/backtest.dto.js';
import { IsApiDateTime } from '../common/is-api-date-time.js';

export class CreateRulePackDto {
  @ApiProperty({ description: "the pack's key: its id in findings' ruleVersion", example: 'acme-telesales.en' })
  @IsString()
  key!: string;

  @ApiProperty({ description: 'the first draft, in the YAML pack format as JSON (id and version may be left out)' })
  @IsObject()
  pack!: Record<string, unknown>;
}

export class ImportRulePackDto {
  @ApiProperty({ description: 'a pack file (YAML or JSON text); its id is the new key' })
  @IsString()
  @MinLength(1)
  @MaxLength(2_000_000)
  source!: string;

  @ApiPropertyOptional({ enum: ['yaml', 'json'], default: 'yaml' })
  @IsOptional()
  @IsIn(['yaml', 'json'])
  format?: 'yaml' | 'json';
}

export class ForkRulePackDto {
  @ApiProperty({ description: 'the new pack key', example: 'acme-telesales.en' })
  @IsString()
  key!: string;

  @ApiPropertyOptional({ description: 'the published version to fork; default the live one' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class SaveDraftDto {
  @ApiProperty({ description: 'the whole draft pack (YAML pack format as JSON)' })
  @IsObject()
  pack!: Record<string, unknown>;
}

export class ChangeNoteDto {
  @ApiProperty({ description: 'why: kept in the audit log with the diff', example: 'add "risk-free" variants after the May complaints' })
  @IsString()
  @Matches(/\S/, { message: 'must say what changed and why' })
  @MaxLength(2000)
  note!: string;
}

export class RollbackDto extends ChangeNoteDto {
  @ApiProperty({ description: 'the published version to make live again' })
  @IsInt()
  @Min(1)
  version!: number;
}

export class DraftBacktestDto {
  @ApiPropertyOptional({ type: BacktestFilterDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => BacktestFilterDto)
  filter?: BacktestFilterDto;

  @ApiPropertyOptional({ default: 3 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(20)
  examplesPerRule?: number;

  @ApiPropertyOptional({ description: 'run as a background job even when small (a limit over 500 always does)' })
  @IsOptional()
  @IsBoolean()
  background?: boolean;
}

export class CampaignRulePacksDto {
  @ApiProperty({ type: [String], description: 'the pack keys this campaign runs (their live versions), in order; [] runs none' })
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  packs!: string[];
}

/** Which stored calls a re-check reads: calls started in [from, to), optionally of one campaign. */
export class RecheckDto {
  @ApiProperty({ description: 'calls started at or after (ISO 8601)' })
  @IsApiDateTime({ offset: 'optional' })
  from!: string;

  @ApiPropertyOptional({ description: 'calls started before (ISO 8601); default now' })
  @IsOptional()
  @IsApiDateTime({ offset: 'optional' })
  to?: string;

  @ApiPropertyOptional({ description: "only this campaign's calls (external id)" })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  campaign?: string;
}

export class PublishDto extends ChangeNoteDto {
  @ApiPropertyOptional({ type: RecheckDto, description: 'also re-check these past calls with the new version (a bulk job; its id comes back as recheck.jobId)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => RecheckDto)
  recheck?: RecheckDto;
}
