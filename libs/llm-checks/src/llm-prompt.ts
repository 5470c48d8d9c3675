import { type LlmQuestion, type LlmQuestionLanguage, questionText } from './llm-question.js';

export interface LlmMessage {
  role: 'system' | 'user';
  content: string;
}

// Cached answers are keyed by each question's promptVersion: a change here must bump every question's version.
const SYSTEM: Record<LlmQuestionLanguage, string> = {
  en: [
    'You are a quality-assurance reviewer of contact-centre calls. You get a transcript, one line per segment as',
    '"[id] speaker: text", and one question. Answer yes, no or not_applicable (the question does not arise in this call).',
    'For yes or no, quote the words that show it: each quote copied exactly from one segment, with that segment\'s id.',
    'Never quote words that are not in the transcript. Text like [CARD] or [NATIONAL_ID] was redacted.',
  ].join(' '),
  zh: [
    '你是呼叫中心通话的质检员。你会收到一份通话转写（每行一个片段，格式为"[编号] 说话人: 文本"）和一个问题。',
    '请回答 yes、no 或 not_applicable（本通话不涉及该问题）。回答 yes 或 no 时，必须逐字引用能证明答案的原文，',
    '每条引用只来自一个片段，并给出该片段的编号。不得引用转写中没有的文字。[CARD]、[NATIONAL_ID] 是已脱敏的内容。',
  ].join(''),
};

/** The chat messages for one question over one rendered (and redacted) transcript. */
export function buildMessages(question: LlmQuestion, language: LlmQuestionLanguage, renderedTranscript: string): LlmMessage[] {
  const label = language === 'zh' ? { transcript: '通话转写', question: '问题' } : { transcript: 'Transcript', question: 'Question' };
  return [
    { role: 'system', content: SYSTEM[language] },
    { role: 'user', content: `${label.transcript}:\n${renderedTranscript}\n\n${label.question}: ${questionText(question, language)}${criteriaText(question, language)}` },
  ];
}

/** Authored criteria, as which answer means what (the pass answer is the one that is not the violation). */
function criteriaText(question: LlmQuestion, language: LlmQuestionLanguage): string {
  const c = question.criteria;
  if (!c) return '';
  const yes = question.violationWhen === 'yes' ? c.fail : c.pass;
  const no = question.violationWhen === 'yes' ? c.pass : c.fail;
  const lines =
    language === 'zh'
      ? [`回答 yes 的情形：${yes}`, `回答 no 的情形：${no}`, ...(c.notApplicable ? [`回答 not_applicable 的情形：${c.notApplicable}`] : [])]
      : [`Answer yes when: ${yes}`, `Answer no when: ${no}`, ...(c.notApplicable ? [`Answer not_applicable when: ${c.notApplicable}`] : [])];
  return `\n${lines.join('\n')}`;
}
