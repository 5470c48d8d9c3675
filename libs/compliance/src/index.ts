export * from './phone-number.js';
export * from './calling-hours.js';
export * from './metadata-checks.js';
export * from './opt-out-csv.js';
