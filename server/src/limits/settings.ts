// What the limits are, as configured (config.ts reads them from the environment; docs/security.md, "Limits").

export interface LimitSettings {
  /** requests per minute per token (or client address without one); 0 turns a limit off */
  ratePerMinute: { predict: number; writes: number };
  /** how long a request body may take to arrive after its headers, ms; upload: artifact and model uploads; 0 = no deadline */
  bodyTimeoutMs: { standard: number; upload: number };
  /** requests (probes aside) are refused with 503 while the event loop runs later than this, ms; 0 = never */
  maxEventLoopDelayMs: number;
  /** exact origins allowed to call from a browser (CORS); empty: no CORS headers at all */
  corsOrigins: string[];
}

