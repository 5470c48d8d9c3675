import { Module } from '@nestjs/common';
import { LlmChecksModule } from '#libs/llm-checks';
import { LlmQuestionsController } from './llm-questions.controller.js';

@Module({ imports: [LlmChecksModule], controllers: [LlmQuestionsController] })
export class LlmQuestionsModule {}
