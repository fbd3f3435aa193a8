// Authentication and roles (docs/security.md): tokens from the configuration, one table of route access, a gate in
// front of every route, the whoami endpoint, log redaction and the loopback rule for `serve`.
export { AccessGate } from './access-gate.js';
export { decideBind, isLoopback, type BindDecision } from './bind-policy.js';
export { installAuth } from './install.js';
export { withCredentialRedaction } from './log-redaction.js';
export { accessFor, ROUTE_ACCESS, type Access } from './route-access.js';
export { parseTokenFile, parseTokenList, checkDistinct, TokenConfigError, type AuthSettings, type TokenEntry } from './tokens.js';
export { whoamiRoutes } from './whoami.routes.js';
