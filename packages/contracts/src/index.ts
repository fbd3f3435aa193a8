export * from './errors.js';
export * from './predictions.js';
export * from './health.js';
export * from './mlops.js';
export * from './model-spec.js';
export * from './comparison.js';
export * from './deployment.js';
export * from './register-model.js';
