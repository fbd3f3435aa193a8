// The 16 rules bench/alerts.ts adds to the 4 defaults: every signal, with scope and window variations.
import type { AlertRuleBody } from '@foodlens/contracts';

export const RULES: AlertRuleBody[] = [
  { name: 'drift food-detector', signal: 'dataset_drift', model: 'food-detector', comparator: '>=', threshold: 0.5, window: '24h' },
  { name: 'brightness drift', signal: 'feature_drift', feature: 'brightness', comparator: '<', threshold: 0.05, window: '24h' },
  { name: 'error rate 15m', signal: 'error_rate', comparator: '>', threshold: 0.05, window: '15m', min_requests: 20 },
  { name: 'error rate v3', signal: 'error_rate', model: 'food-detector', version: '3', comparator: '>', threshold: 0.05, window: '1h' },
  { name: 'latency 1h', signal: 'latency_p95', comparator: '>', threshold: 500, window: '1h' },
  { name: 'latency lite', signal: 'latency_p95', model: 'food-detector-lite', comparator: '>', threshold: 200, window: '30m' },
  { name: 'confidence', signal: 'mean_confidence', comparator: '<', threshold: 0.5, window: '1h' },
  { name: 'confidence challenger', signal: 'mean_confidence', variant: 'challenger', comparator: '<', threshold: 0.5, window: '6h' },
  { name: 'low confidence', signal: 'low_confidence_share', confidence_threshold: 0.3, comparator: '>', threshold: 0.3, window: '1h' },
  { name: 'estimated accuracy', signal: 'estimated_accuracy', comparator: '<', threshold: 0.6, window: '6h' },
  { name: 'estimated accuracy v3', signal: 'estimated_accuracy', model: 'food-detector', version: '3', comparator: '<', threshold: 0.6, window: '24h' },
  { name: 'realised accuracy', signal: 'realised_accuracy', comparator: '<', threshold: 0.7, window: '7d' },
  { name: 'volume', signal: 'request_volume', comparator: '<', threshold: 10, window: '10m' },
  { name: 'volume lite', signal: 'request_volume', model: 'food-detector-lite', comparator: '<', threshold: 1, window: '1h' },
  { name: 'drops 1h', signal: 'log_drops', comparator: '>', threshold: 0, window: '1h' },
  { name: 'shadow confidence', signal: 'mean_confidence', variant: 'shadow', comparator: '<', threshold: 0.4, window: '7d' },
];
