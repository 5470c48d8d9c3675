import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { type PipelineStage, STAGES } from '#libs/queue';

export class ReanalyseDto {
  @ApiProperty({
    enum: [...STAGES],
    description:
      'the stage to run again, and every stage after it: analyse-audio after a detector or agent-channel change, check after new rule packs, transcribe to parse the stored transcript (or transcribe the recording) again',
  })
  @IsIn([...STAGES], { message: `fromStage must be one of ${STAGES.join(', ')}` })
  fromStage!: PipelineStage;
}
