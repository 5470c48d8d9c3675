import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class AssignFindingDto {
  @ApiProperty({ description: 'who is to review the finding' })
  @IsString({ message: 'reviewer must be a string' })
  @IsNotEmpty({ message: 'reviewer is required' })
  @MaxLength(200)
  reviewer!: string;
}
