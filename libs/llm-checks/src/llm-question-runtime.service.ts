import { createHash } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { LlmQuestionRepository } from '#libs/db';
import type { CampaignQuestions, LlmQuestionSource } from './llm-check.service.js';
import { type LlmQuestion, SHIPPED_LLM_QUESTIONS } from './llm-question.js';
import { LlmQuestionValidationError, questionContentHash, shippedContent, toLlmQuestion, validateQuestionContent } from './llm-question-content.js';

const SEED_ACTOR = 'system:seed';

/** Midnight UTC of the day `now` falls in: the cost ceiling's day. */
export function utcDayStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/**
 * What the LLM stage runs: the shipped questions seeded as read-only system questions (a new version only when one
 * changed), and per campaign the live published versions it has not switched off, with its daily cost ceiling.
 */
@Injectable()
export class LlmQuestionRuntime implements LlmQuestionSource, OnModuleInit {
  private readonly logger = new Logger(LlmQuestionRuntime.name);

  constructor(private readonly questions: LlmQuestionRepository) {}

  async onModuleInit(): Promise<void> {
    await this.seedShipped();
  }

  /** Seeds every shipped question; returns the keys that got a new version. */
  async seedShipped(shipped: readonly LlmQuestion[] = SHIPPED_LLM_QUESTIONS): Promise<string[]> {
    const added: string[] = [];
    for (const question of shipped) {
      const content = shippedContent(question);
      // the shipped promptVersion is in the hash: bumping it (a prompt change) gives a new version too
      const hash = createHash('sha256').update(`${questionContentHash(content)}:${question.promptVersion}`).digest('hex');
      const result = await this.questions.seedSystem(question.id, {
        content: content as never,
        contentHash: hash,
        note: `seeded from the shipped question ${question.id} (prompt version ${question.promptVersion})`,
        actor: SEED_ACTOR,
      });
      if (result.added) {
        added.push(question.id);
        this.logger.log(`LLM question ${question.id} seeded as version ${result.number}`);
      }
    }
    return added;
  }

  async forCampaign(campaignId: string | null): Promise<CampaignQuestions> {
    const live = await this.questions.liveFor(campaignId);
    const questions = live.questions.flatMap((v) => {
      try {
        return [toLlmQuestion(v.key, String(v.number), validateQuestionContent(v.content, 'content'))];
      } catch (error) {
        // a version stored under an older schema is skipped, loudly, rather than failing every call of the campaign
        if (error instanceof LlmQuestionValidationError) {
          this.logger.error(`LLM question ${v.key} version ${v.number} is not valid any more, not asked: ${error.message}`);
          return [];
        }
        throw error;
      }
    });
    return { questions, dailyCostCeilingUsd: live.dailyCostCeilingUsd };
  }

  spentToday(campaignId: string): Promise<number> {
    return this.questions.spentSince(campaignId, utcDayStart(new Date()));
  }
}
