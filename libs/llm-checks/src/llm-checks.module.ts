import { Module } from '@nestjs/common';
import { LLM_CLIENT_PROVIDER } from './llm-client.provider.js';
import { LLM_QUESTIONS, LlmCheckService } from './llm-check.service.js';
import { LlmQuestionRuntime } from './llm-question-runtime.service.js';
import { QuestionCatalogService } from './question-catalog.service.js';

/** The LLM questions of a call (the published ones its campaign enables), asked of the deployment's OpenAI-compatible endpoint; their authoring. */
@Module({
  providers: [LLM_CLIENT_PROVIDER, LlmQuestionRuntime, { provide: LLM_QUESTIONS, useExisting: LlmQuestionRuntime }, LlmCheckService, QuestionCatalogService],
  exports: [LlmCheckService, LlmQuestionRuntime, QuestionCatalogService],
})
export class LlmChecksModule {}
