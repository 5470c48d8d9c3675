export * from './password.js';
export * from './tokens.js';
