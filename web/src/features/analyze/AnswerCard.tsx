import type { PredictResponse } from '@foodlens/contracts';
import { DetectionList } from './DetectionList';
import { FeedbackControls } from './FeedbackControls';
import { formatBytes } from './upload-checks';

/** The server's answer: the food, every detection, which model version answered and how, and a way to say if it was right. */
export function AnswerCard(props: { result: PredictResponse }) {
  const r = props.result;
  return (
    <div className="result" data-testid="result">
      {r.food_name ? (
        <p className="food">
          <strong>{r.food_name}</strong> · {(r.confidence * 100).toFixed(1)}% confident
        </p>
      ) : (
        <p className="food">No known food found in this photo.</p>
      )}
      <DetectionList detections={r.detections} />
      <dl className="facts answer-facts">
        <dt>Model</dt>
        <dd data-testid="answer-model">
          {r.model.name} v{r.model.version}
          {r.model.variant && <span className={`badge variant ${r.model.variant}`}>{r.model.variant}</span>}
        </dd>
        <dt>Latency</dt>
        <dd>{r.processing_time_ms.toFixed(0)} ms</dd>
        <dt>Image</dt>
        <dd>
          {r.image.width}×{r.image.height} px · {r.image.format.toUpperCase()} · {formatBytes(r.image.size_bytes)}
        </dd>
      </dl>
      {/* keyed: a new answer gets fresh feedback buttons */}
      <FeedbackControls key={r.prediction_id} result={r} />
    </div>
  );
}
