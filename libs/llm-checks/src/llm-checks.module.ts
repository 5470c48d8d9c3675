import { Module } from '@nestjs/common';
import { LLM_CLIENT_PROVIDER } from './llm-client.provider.js';
import { LLM_QUESTIONS_PROVIDER, LlmCheckService } from './llm-check.service.js';

/** The LLM questions of a call, asked of the deployment's OpenAI-compatible endpoint. */
@Module({ providers: [LLM_CLIENT_PROVIDER, LLM_QUESTIONS_PROVIDER, LlmCheckService], exports: [LlmCheckService] })
export class LlmChecksModule {}
