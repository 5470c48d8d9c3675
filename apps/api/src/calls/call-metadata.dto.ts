import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsNumber, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { IsApiDateTime } from '../common/is-api-date-time.js';

/** No telephone call is longer; the bound keeps absurd values out of sums and averages. */
const MAX_CALL_SECONDS = 7 * 24 * 3600;

export class CallMetadataDto {
  @ApiPropertyOptional({ description: "the dialer's own id of the call", example: 'dialer-000123' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  externalId?: string;

  @ApiProperty({ example: 'agent-017' })
  @IsString()
  @Length(1, 200)
  agentExternalId!: string;

  @ApiPropertyOptional({ example: 'Dana Lee' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  agentName?: string;

  @ApiPropertyOptional({ example: 'Wealth desk A' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  groupName?: string;

  @ApiPropertyOptional({ example: 'Outbound sales' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  teamName?: string;

  @ApiPropertyOptional({ example: 'fund-q4' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  campaignExternalId?: string;

  @ApiProperty({ description: 'E.164, or national format with customerCountry', example: '+14155550123' })
  @IsString()
  @Length(3, 32)
  customerPhone!: string;

  @ApiPropertyOptional({ description: 'ISO 3166 country for a national-format customerPhone', example: 'CN' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'customerCountry must be an ISO 3166-1 alpha-2 code such as US or CN' })
  customerCountry?: string;

  @ApiProperty({ enum: ['inbound', 'outbound'] })
  @IsEnum(['inbound', 'outbound'], { message: 'direction must be inbound or outbound' })
  direction!: 'inbound' | 'outbound';

  @ApiProperty({ description: 'ISO 8601 with offset', example: '2026-11-20T09:30:00+08:00' })
  @IsApiDateTime({ offset: 'required' })
  startedAt!: string;

  @ApiPropertyOptional({ description: "IANA zone of the customer's local time", example: 'Asia/Shanghai' })
  @IsOptional()
  @IsString()
  timeZone?: string;

  @ApiPropertyOptional({ example: 184.2 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(MAX_CALL_SECONDS, { message: `durationSeconds must be at most ${MAX_CALL_SECONDS} (7 days)` })
  durationSeconds?: number;

  @ApiPropertyOptional({ enum: ['connected', 'no_answer', 'busy', 'abandoned', 'voicemail'] })
  @IsOptional()
  @IsEnum(['connected', 'no_answer', 'busy', 'abandoned', 'voicemail'], {
    message: 'disposition must be one of connected, no_answer, busy, abandoned, voicemail',
  })
  disposition?: 'connected' | 'no_answer' | 'busy' | 'abandoned' | 'voicemail';

  @ApiProperty({ enum: ['mono', 'stereo'], description: 'stereo: agent and customer on separate channels' })
  @IsEnum(['mono', 'stereo'], { message: 'channelLayout must be mono or stereo' })
  channelLayout!: 'mono' | 'stereo';

  @ApiPropertyOptional({ example: 'zh' })
  @IsOptional()
  @Matches(/^[a-z]{2}(-[A-Za-z]{2,4})?$/, { message: 'language must be a language tag such as en or zh' })
  language?: string;
}
