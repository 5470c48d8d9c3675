import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEnum, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsApiDateTime } from '../common/is-api-date-time.js';

export class AddOptOutDto {
  @ApiProperty({ description: 'E.164 (+14155550123), or national with country', example: '+14155550123' })
  @IsString()
  @Length(3, 40)
  phone!: string;

  @ApiPropertyOptional({ description: 'ISO 3166 alpha-2 country for a number without +', example: 'US' })
  @IsOptional()
  @Matches(/^[A-Za-z]{2}$/, { message: 'country must be an ISO 3166 alpha-2 code such as US' })
  country?: string;

  @ApiPropertyOptional({ enum: ['manual', 'import', 'sms_unsubscribe'], default: 'manual' })
  @IsOptional()
  @IsEnum(['manual', 'import', 'sms_unsubscribe'], { message: 'source must be one of manual, import, sms_unsubscribe' })
  source?: 'manual' | 'import' | 'sms_unsubscribe';

  @ApiPropertyOptional({ description: 'when the opt-out took effect (ISO 8601); default now' })
  @IsOptional()
  @IsApiDateTime({ offset: 'optional' })
  effectiveAt?: string;

  @ApiPropertyOptional({ description: 'free text: where the request came from' })
  @IsOptional()
  @IsString()
  @Length(1, 2000)
  evidence?: string;
}

export class ListOptOutsQuery {
  @ApiPropertyOptional({ description: 'only the entries of this number (E.164, or national with country)', example: '+14155550123' })
  @IsOptional()
  @IsString()
  @Length(1, 40)
  phone?: string;

  @ApiPropertyOptional({ description: 'ISO 3166 alpha-2 country for a phone without +', example: 'US' })
  @IsOptional()
  @Matches(/^[A-Za-z]{2}$/, { message: 'country must be an ISO 3166 alpha-2 code such as US' })
  country?: string;

  @ApiPropertyOptional({ enum: ['import', 'call_detected', 'sms_unsubscribe', 'manual'] })
  @IsOptional()
  @IsEnum(['import', 'call_detected', 'sms_unsubscribe', 'manual'], {
    message: 'source must be one of import, call_detected, sms_unsubscribe, manual',
  })
  source?: 'import' | 'call_detected' | 'sms_unsubscribe' | 'manual';

  @ApiPropertyOptional({ description: 'true: removed entries too', default: 'false' })
  @IsOptional()
  @IsEnum(['true', 'false'], { message: 'includeRemoved must be true or false' })
  includeRemoved?: 'true' | 'false';

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Matches(/^([1-9]\d{0,1}|[1-4]\d\d|500)$/, { message: 'limit must be an integer from 1 to 500' })
  limit?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
}

export class CheckOptOutQuery {
  @ApiProperty({ example: '+14155550123' })
  @IsString()
  phone!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[A-Za-z]{2}$/, { message: 'country must be an ISO 3166 alpha-2 code such as US' })
  country?: string;

  @ApiPropertyOptional({ description: 'the instant to judge at (ISO 8601); default now' })
  @IsOptional()
  @IsApiDateTime({ offset: 'optional' })
  at?: string;
}

export class RemoveOptOutQuery {
  @ApiPropertyOptional({ description: 'ISO 3166 alpha-2 country for a number without +' })
  @IsOptional()
  @Matches(/^[A-Za-z]{2}$/, { message: 'country must be an ISO 3166 alpha-2 code such as US' })
  country?: string;

  @ApiPropertyOptional({ description: 'why the number is removed (kept in the audit log and the number\'s history)', example: 'Customer consented again by signed form 2026-12-01' })
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: 'reason must not be empty' })
  @Length(1, 2000)
  reason?: string;
}

export class WebhookDeliveriesQuery {
  @ApiPropertyOptional({ enum: ['pending', 'delivered', 'failed'], description: 'delivery state' })
  @IsOptional()
  @IsEnum(['pending', 'delivered', 'failed'], { message: 'status must be one of pending, delivered, failed' })
  status?: 'pending' | 'delivered' | 'failed';

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Matches(/^([1-9]\d{0,1}|[1-4]\d\d|500)$/, { message: 'limit must be an integer from 1 to 500' })
  limit?: string;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @IsOptional()
  @IsString()
  cursor?: string;
}
