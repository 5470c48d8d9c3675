/** Calibration of rules and LLM questions against human reviewers (pure: precision, recall, agreement, kappa, intervals). */
export * from './wilson.js';
export * from './calibration.js';
