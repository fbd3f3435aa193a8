export * from './errors.js';
export * from './predictions.js';
export * from './health.js';
export * from './mlops.js';
