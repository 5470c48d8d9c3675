import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';

/** Body of acknowledge (reason optional), dispute (reason required) and ruling (decision and reason required). */
export class EvaluationFeedbackDto {
  @ApiPropertyOptional({ description: 'required for a dispute and a ruling' })
  @IsOptional()
  @IsString({ message: 'reason must be a string' })
  @MaxLength(2000)
  reason?: string;

  @ApiPropertyOptional({ enum: ['upheld', 'overturned'], description: 'ruling only' })
  @ValidateIf((dto: EvaluationFeedbackDto) => dto.decision !== undefined)
  @IsIn(['upheld', 'overturned'], { message: 'decision must be upheld or overturned' })
  decision?: 'upheld' | 'overturned';
}
