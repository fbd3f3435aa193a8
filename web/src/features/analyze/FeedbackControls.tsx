import type { PredictResponse } from '@foodlens/contracts';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { errorDetail } from '../../components/QueryError';
import { type Feedback, sendFeedback } from './api';
import { feedbackLabels } from './feedback-labels';
import { WrongLabelForm } from './WrongLabelForm';

/** "Correct" or "Wrong, it was …": ground truth for this prediction (POST /api/v1/predictions/{id}/feedback). */
export function FeedbackControls(props: { result: PredictResponse }) {
  const r = props.result;
  const [choosing, setChoosing] = useState(false);
  const send = useMutation({ mutationFn: (f: Feedback) => sendFeedback(r.prediction_id, f) });
  // One answer per photo from this page (the server would take a later one as a replacement).
  const locked = send.isPending || send.isSuccess;
  const formId = `wrong-${r.prediction_id}`;
  return (
    <section className="feedback" aria-label="Was this right?">
      <p className="feedback-question">Was this right?</p>
      <div className="feedback-buttons">
        <button
          type="button"
          disabled={locked}
          onClick={() => {
            setChoosing(false);
            // when nothing was found, "correct" means there was no known food: no label to give
            send.mutate(r.food_name ? { correct: true, label: r.food_name } : { correct: true });
          }}
        >
          Correct
        </button>
        <button
          type="button"
          className="secondary"
          disabled={locked}
          aria-expanded={choosing}
          aria-controls={choosing ? formId : undefined}
          onClick={() => setChoosing((c) => !c)}
        >
          Wrong, it was …
        </button>
      </div>
      {choosing && (
        <WrongLabelForm
          id={formId}
          labels={feedbackLabels(r.model.name, r.detections, r.food_name)}
          disabled={locked}
          onSend={(label) => send.mutate({ correct: false, label })}
        />
      )}
      {send.isSuccess && (
        <p role="status" className="feedback-done" data-testid="feedback-done">
          Thanks — recorded{send.data.correct ? ' as correct' : send.data.label ? `: it was ${send.data.label}` : ''}.
        </p>
      )}
      {send.isError && (
        <p role="alert" className="error">
          Your answer was not recorded. {errorDetail(send.error)}
        </p>
      )}
    </section>
  );
}
