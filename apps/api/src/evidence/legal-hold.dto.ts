import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';

export class LegalHoldDto {
  @ApiProperty({ description: 'why the call is held (a case or matter reference)', example: 'Complaint FCA-2026-0412' })
  @IsString({ message: 'reason is required: a non-empty string saying why the call is held' })
  @Matches(/\S/, { message: 'reason must not be empty' })
  @MaxLength(2000)
  reason!: string;
}
