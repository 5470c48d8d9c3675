export * from './redaction.js';
export * from './llm-answer.js';
