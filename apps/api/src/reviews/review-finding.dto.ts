import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';

export class ReviewFindingDto {
  @ApiProperty({ enum: ['confirmed', 'dismissed'] })
  @IsIn(['confirmed', 'dismissed'], { message: 'decision must be confirmed or dismissed' })
  decision!: 'confirmed' | 'dismissed';

  @ApiPropertyOptional({ description: 'why; required to dismiss' })
  @ValidateIf((dto: ReviewFindingDto) => dto.decision === 'dismissed' || dto.reason !== undefined)
  @IsString({ message: 'reason must be a string' })
  @IsNotEmpty({ message: 'reason is required to dismiss a finding' })
  @MaxLength(2000)
  reason?: string;

  @ApiPropertyOptional({
    enum: ['pending', 'confirmed', 'dismissed'],
    description: 'the review state the reviewer saw; when another decision came first the answer is 409 with that decision, and nothing changes',
  })
  @IsOptional()
  @IsIn(['pending', 'confirmed', 'dismissed'], { message: 'expectedState must be one of pending, confirmed, dismissed' })
  expectedState?: 'pending' | 'confirmed' | 'dismissed';
}
