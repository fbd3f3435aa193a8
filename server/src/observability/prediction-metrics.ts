// Counts predictions where they are logged: a PredictionSink that hands every record on to the prediction log and
// also counts it. Served predictions, failed ones and shadow runs all pass through a sink, so nothing is counted
// twice or missed, and the counters agree with the log.
import type { PredictionRecord } from '../monitoring/prediction-log/types.js';
import type { PredictionSink } from '../serving/predict.service.js';

export function countingSink(inner: PredictionSink, count: (record: PredictionRecord) => void): PredictionSink {
  return {
    enqueue(record) {
      const accepted = inner.enqueue(record);
      // the sink must never throw into the request path: a counting bug loses a sample, not a prediction
      try {
        count(record);
      } catch {
        // nothing to do: metrics are best effort
      }
      return accepted;
    },
  };
}
