// Limits (docs/security.md, "Limits"): rate limits per token or address, body deadlines, load shedding when the event
// loop lags, security headers and CSP, CORS only for configured origins, Node's connection timeouts.
export { Limits, type CountRejection } from './install.js';
export { registerCors } from './cors.js';
export { installSecurityHeaders, webAppCspFor } from './security-headers.js';
export { serverTimeouts } from './server-timeouts.js';
export type { RejectionReason } from './rejection.js';
export type { RouteClass } from './route-class.js';
export type { LimitSettings } from './settings.js';
