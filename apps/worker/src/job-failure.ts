import { UnrecoverableError } from 'bullmq';
import { AudioToolMissingError } from '#libs/audio';
import type { FailureClass } from '#libs/metrics';
import { InvalidJobPayloadError, PermanentJobError } from '#libs/queue';

/**
 * Whether retrying can fix a failed job: the one place that decides, for every queue. A permanent failure belongs to
 * the job (corrupt audio, an invalid payload, a receiver that rejects the webhook); an environment failure belongs to
 * the machine (an audio tool missing), which retries of every job would only bury; anything else is transient.
 */
export function classifyFailure(error: unknown): FailureClass {
  if (error instanceof AudioToolMissingError) return 'environment';
  if (error instanceof PermanentJobError || error instanceof InvalidJobPayloadError || error instanceof UnrecoverableError) return 'permanent';
  return 'transient';
}

/** The error BullMQ gets: UnrecoverableError (no retry) unless the failure is transient. */
export function forBullMq(error: unknown): Error {
  const failure = error instanceof Error ? error : new Error(String(error));
  if (classifyFailure(failure) === 'transient' || failure instanceof UnrecoverableError) return failure;
  return new UnrecoverableError(failure.message);
}

