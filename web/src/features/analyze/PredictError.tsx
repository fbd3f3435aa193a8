import { errorDetail } from '../../components/QueryError';
import { ApiError } from '../../lib/api';
import { rejectionMessage } from './rejections';

/** Why the photo got no answer: a refused upload in plain words with the server's own message below, or the failed call. */
export function PredictError(props: { error: Error }) {
  const { error } = props;
  const human = error instanceof ApiError ? rejectionMessage(error.reason) : null;
  return (
    <div role="alert" className="predict-error" data-testid="predict-error">
      <p className="error">{human ?? 'The photo could not be analyzed.'}</p>
      <p className="muted small">{errorDetail(error)}</p>
    </div>
  );
}
