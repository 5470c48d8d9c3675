export * from './object-storage.js';
export * from './object-storage.token.js';
export * from './object-key.js';
export * from './invalid-object-key.error.js';
export * from './not-found-in-storage.error.js';
export * from './s3-object-storage.js';
export * from './local-object-storage.js';
export * from './create-object-storage.js';
