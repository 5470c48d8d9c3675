export * from './webhook-signature.js';
export * from './webhook-endpoints.service.js';
export * from './webhook-publisher.service.js';
export * from './webhooks.module.js';
export * from './webhook-delivery.service.js';
export * from './webhook-sender.js';
