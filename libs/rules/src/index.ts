export * from './rule-families.js';
export * from './rule-pack.schema.js';
export * from './rule-pack.validator.js';
export { normaliseText, normaliseWithOffsets, type NormalisedText } from './text-normaliser.js';
export { compileRulePack, type CompiledRules, type CompiledRule } from './rule-compiler.js';
export { runRules, type RunRulesOptions } from './rule-engine.js';
export * from './rule-pack.loader.js';
export * from './labelled-eval.js';
export * from './backtest.js';
