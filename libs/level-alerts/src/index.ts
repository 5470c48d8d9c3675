export * from './level-alert.service.js';
export * from './level-alerts.module.js';
