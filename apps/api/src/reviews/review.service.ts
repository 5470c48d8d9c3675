import { Injectable, Logger } from '@nestjs/common';
import { type FindingReviewState, type ReviewDecision, ReviewRepository } from '#libs/db';
import { JobQueues } from '#libs/queue';
import { NotFoundError } from '../common/not-found.error.js';
import { ReviewConflictError } from './review-conflict.error.js';

/** A decision on a finding, then a re-score of its call so the evaluation and rollups follow the decision. */
@Injectable()
export class ReviewService {
  private readonly logger = new Logger(ReviewService.name);

  constructor(
    private readonly reviews: ReviewRepository,
    private readonly queues: JobQueues,
  ) {}

  async decide(findingId: string, decision: ReviewDecision, reason: string | null, actor: string, expectedState?: FindingReviewState) {
    const result = await this.reviews.decide(findingId, decision, reason, actor, expectedState);
    if (!result) throw new NotFoundError('finding', findingId);
    if ('conflict' in result) throw new ReviewConflictError(findingId, result.conflict);
    // The score stage hands on to clip and rollup; rollup swaps the call's previous contribution, so a re-run is exact.
    await this.queues.enqueue('score', result.callId);
    this.logger.log(`finding ${findingId} ${decision} by ${actor}; call ${result.callId} queued for re-scoring`);
    return { findingId, callId: result.callId, reviewState: decision, previous: result.previous, rescore: 'queued' as const };
  }
}
