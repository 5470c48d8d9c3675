import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsEnum, IsIn, IsInt, IsNumber, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { REDACTION_KINDS } from '#libs/redaction';
import { RULE_POLICIES, type RulePolicy } from '#libs/rules';
import { Nullable } from '../common/nullable.js';

export class CampaignSettingsDto {
  @ApiPropertyOptional({ example: 'Fund Q4 outbound' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @ApiPropertyOptional({ example: 'zh' })
  @IsOptional()
  @Matches(/^[a-z]{2}(-[A-Za-z]{2,4})?$/, { message: 'language must be a language tag such as en or zh' })
  language?: string;

  @ApiPropertyOptional({ description: "the agent's target share of talk time, 0..1 (0.3 = agent 30 : customer 70)", example: 0.3 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  talkRatioAgentTarget?: number;

  @ApiPropertyOptional({ description: 'allowed distance of the agent share from the target, 0..1', example: 0.1 })
  @IsOptional()
  @IsNumber()
  @Min(0)
  @Max(1)
  talkRatioTolerance?: number;

  @ApiPropertyOptional({ enum: ['left', 'right'], description: 'the stereo channel that carries the agent' })
  @IsOptional()
  @IsEnum(['left', 'right'], { message: 'agentChannel must be left or right' })
  agentChannel?: 'left' | 'right';

  @ApiPropertyOptional({ enum: ['energy', 'silero'], description: 'voice-activity detector for stereo calls' })
  @IsOptional()
  @IsEnum(['energy', 'silero'], { message: 'vadDetector must be energy or silero' })
  vadDetector?: 'energy' | 'silero';

  @ApiPropertyOptional({
    description: "transcription model for this campaign's calls on the deployment's endpoint; null returns to TRANSCRIPTION_MODEL",
    example: 'gpt-4o-transcribe-diarize',
    nullable: true,
  })
  @Nullable()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  transcriptionModel?: string | null;

  @ApiPropertyOptional({
    description: 'days a recording is kept after the call, then deleted (findings, confirmed clips and the audit log stay); null keeps it forever',
    example: 365,
    minimum: 1,
    maximum: 36500,
    nullable: true,
  })
  @Nullable()
  @IsOptional()
  @IsInt({ message: 'retentionDays must be a whole number of days (or null to keep recordings forever)' })
  @Min(1)
  @Max(36500)
  retentionDays?: number | null;

  @ApiPropertyOptional({
    description:
      "IANA time zone whose midnight cuts this campaign's calls into dashboard days (a call's day is its date there); null returns to ORGANISATION_TIME_ZONE. Calls rolled up from then on use it; re-analyse older ones to move them.",
    example: 'America/New_York',
    nullable: true,
  })
  @Nullable()
  @IsOptional()
  @IsString()
  @Length(1, 64)
  timeZone?: string | null;

  @ApiPropertyOptional({
    description: "redaction kinds this campaign's stored transcripts and muted recordings leave out on top of the deployment's REDACTION_KINDS",
    example: ['phone'],
    isArray: true,
    enum: REDACTION_KINDS,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(REDACTION_KINDS.length)
  @IsIn(REDACTION_KINDS, { each: true, message: `redactionOn must list kinds among ${REDACTION_KINDS.join(', ')}` })
  redactionOn?: string[];

  @ApiPropertyOptional({
    description: 'redaction kinds this campaign leaves in the clear (e.g. name, when an agent\'s name must stay readable); wins over redactionOn',
    example: ['name'],
    isArray: true,
    enum: REDACTION_KINDS,
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(REDACTION_KINDS.length)
  @IsIn(REDACTION_KINDS, { each: true, message: `redactionOff must list kinds among ${REDACTION_KINDS.join(', ')}` })
  redactionOff?: string[];

  @ApiPropertyOptional({
    description:
      'opt-in rule policies for the calls of this campaign. complaint_as_opt_out: a complaint about repeated calls counts as a do-not-call request (FCC 24-18, revocation in any reasonable manner). Empty by default.',
    enum: RULE_POLICIES,
    isArray: true,
    example: ['complaint_as_opt_out'],
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(RULE_POLICIES.length)
  @IsIn(RULE_POLICIES, { each: true, message: `rulePolicies: each must be one of ${RULE_POLICIES.join(', ')}` })
  rulePolicies?: RulePolicy[];
}
