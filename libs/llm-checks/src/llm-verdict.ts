import type { FindingDraft, FindingEvidence, TranscriptSegment } from '#libs/domain';
import { type RedactionKind, redactTranscript, totalRedactions } from '#libs/redaction';
import { type LlmAnswer, type LlmAnswerValue, type VerifiedQuote, verifyQuotes } from './llm-answer.js';
import type { LlmQuestion } from './llm-question.js';

export type LlmVerdict =
  | { kind: 'answered'; answer: LlmAnswerValue; evidence: VerifiedQuote[]; finding?: FindingDraft }
  | { kind: 'discarded'; reason: string };

export interface RedactedSegments {
  segments: TranscriptSegment[];
  redactions: number;
}

// What leaves for an LLM without its numbers: names, addresses and dates of birth stay, since questions such as "did
// the agent give their name" need them (the LLM endpoint is the deployment's own choice).
const LLM_REDACTION_KINDS: readonly RedactionKind[] = ['card', 'national_id', 'email', 'bank_account', 'phone'];

/**
 * The segments as they may leave for an LLM: card numbers, national ids, emails, bank accounts and phone numbers
 * replaced (in the words too), everything else unchanged.
 */
export function redactSegments(segments: readonly TranscriptSegment[]): RedactedSegments {
  const redacted = redactTranscript(segments, { kinds: LLM_REDACTION_KINDS });
  return { segments: redacted.segments, redactions: totalRedactions(redacted.redaction.counts) };
}

/**
 * Judges one answer: its quotes must all be found in the segments the model was shown, else the answer is void
 * (discarded, never a finding). A verified answer equal to the question's `violationWhen` becomes an 'llm' finding
 * whose evidence is the first quote; char spans are kept only where redaction left the segment unchanged.
 */
export function judgeAnswer(
  question: LlmQuestion,
  answer: LlmAnswer,
  sent: readonly TranscriptSegment[],
  original: readonly TranscriptSegment[],
): LlmVerdict {
  const verification = verifyQuotes(answer, sent);
  if (!verification.ok) return { kind: 'discarded', reason: verification.reason };
  if (answer.answer !== question.violationWhen) return { kind: 'answered', answer: answer.answer, evidence: verification.evidence };
  const first = verification.evidence[0];
  let evidence: FindingEvidence | undefined;
  if (first) {
    const unchanged = sent[first.segmentIndex]?.text === original[first.segmentIndex]?.text;
    evidence = {
      segmentIndex: first.segmentIndex,
      ...(unchanged ? { charStart: first.charStart, charEnd: first.charEnd } : {}),
      startSeconds: first.startSeconds,
      endSeconds: first.endSeconds,
      text: first.text,
    };
  }
  const rationale = answer.rationale?.trim();
  return {
    kind: 'answered',
    answer: answer.answer,
    evidence: verification.evidence,
    finding: {
      dedupeKey: `llm:${question.id}`,
      source: 'llm',
      ruleId: question.id,
      ruleVersion: question.promptVersion,
      family: question.family,
      severity: question.severity,
      dimension: question.dimension,
      description: rationale ? `${question.description}: ${rationale.slice(0, 300)}` : question.description,
      ...(evidence ? { evidence } : {}),
    },
  };
}
