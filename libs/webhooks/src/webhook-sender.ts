import type { WebhookAttempt, WebhookDeliveryState } from '#libs/db';
import { ATTEMPT_HEADER, EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, signWebhook } from './webhook-signature.js';

/** 4xx answers other than these mean the receiver rejects the event itself: retrying would not help. */
const RETRYABLE_4XX = new Set([408, 409, 425, 429]);

export interface SendRequest {
  url: string;
  secret: string;
  eventId: string;
  eventType: string;
  /** the exact bytes to send (the stored envelope) */
  body: string;
  attemptNo: number;
  lastAttempt: boolean;
  timeoutMs: number;
}

export interface SendOutcome {
  attempt: WebhookAttempt;
  /** the delivery's state after this attempt */
  status: WebhookDeliveryState;
  /** true when the receiver rejected the event (4xx): no retry */
  permanent: boolean;
}

/** One signed POST of a webhook, classified: 2xx delivered; 4xx (bar 408/409/425/429) rejected; else retry. */
export async function sendWebhookOnce(request: SendRequest, now: () => number = Date.now): Promise<SendOutcome> {
  const started = now();
  const attempt: WebhookAttempt = { at: new Date(started).toISOString(), durationMs: 0 };
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Earshot-Webhooks/1',
        [SIGNATURE_HEADER]: signWebhook(request.secret, request.body, Math.floor(started / 1000)),
        [EVENT_ID_HEADER]: request.eventId,
        [EVENT_TYPE_HEADER]: request.eventType,
        [ATTEMPT_HEADER]: String(request.attemptNo),
      },
      body: request.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(request.timeoutMs),
    });
    await response.body?.cancel().catch(() => undefined);
    attempt.statusCode = response.status;
    if (!response.ok) attempt.error = `HTTP ${response.status}`;
  } catch (error) {
    const name = (error as Error).name;
    attempt.error = name === 'TimeoutError' || name === 'AbortError' ? `timed out after ${request.timeoutMs} ms` : (error as Error).message;
  }
  attempt.durationMs = now() - started;
  const code = attempt.statusCode;
  const ok = code !== undefined && code >= 200 && code < 300;
  const permanent = code !== undefined && code >= 400 && code < 500 && !RETRYABLE_4XX.has(code);
  const status: WebhookDeliveryState = ok ? 'delivered' : permanent || request.lastAttempt ? 'failed' : 'pending';
  return { attempt, status, permanent };
}
