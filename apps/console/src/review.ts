import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReviewConflictView, ReviewResultView, ReviewState } from '#libs/api-contract';
import { api, ApiError } from './api.js';

export interface ReviewInput {
  findingId: string;
  decision: 'confirmed' | 'dismissed';
  reason?: string;
  /** the state the reviewer saw: the API refuses (409) when someone else decided in between */
  expectedState: ReviewState;
}

/** Confirm or dismiss; afterwards the queue, counts and the call (which the API re-scores) are read again. */
export function useReview() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: ReviewInput) =>
      api<ReviewResultView>(`/v1/findings/${input.findingId}/review`, {
        method: 'POST',
        body: { decision: input.decision, reason: input.reason, expectedState: input.expectedState },
      }),
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: ['queue'] });
      await client.invalidateQueries({ queryKey: ['call'] });
      await client.invalidateQueries({ queryKey: ['history'] });
    },
  });
}

export function reviewConflict(error: unknown): ReviewConflictView | null {
  return error instanceof ApiError && error.status === 409 && error.body.current ? (error.body as unknown as ReviewConflictView) : null;
}

export function useAssign() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ findingId, reviewer }: { findingId: string; reviewer: string }) =>
      api(`/v1/findings/${findingId}/assign`, { method: 'POST', body: { reviewer } }),
    onSettled: () => client.invalidateQueries({ queryKey: ['queue'] }),
  });
}

const QUEUE_CONTEXT = 'earshot.queueContext';

/** The findings of the queue page last shown, so the call view can step to the next one. */
export interface QueueContext {
  search: string;
  findings: { id: string; callId: string }[];
}

export function rememberQueue(context: QueueContext): void {
  sessionStorage.setItem(QUEUE_CONTEXT, JSON.stringify(context));
}

export function queueNeighbour(findingId: string, step: 1 | -1): { id: string; callId: string } | null {
  const raw = sessionStorage.getItem(QUEUE_CONTEXT);
  if (!raw) return null;
  const { findings } = JSON.parse(raw) as QueueContext;
  const at = findings.findIndex((f) => f.id === findingId);
  return at < 0 ? null : (findings[at + step] ?? null);
}
