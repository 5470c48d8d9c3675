export * from './llm-answer.js';
export * from './llm-question.js';
export * from './llm-prompt.js';
export * from './llm-verdict.js';
