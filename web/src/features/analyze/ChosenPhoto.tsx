import { formatBytes } from './upload-checks';

/** Which file is about to be analyzed, so a wrong pick is noticed before sending. */
export function ChosenPhoto(props: { file: File }) {
  return (
    <p className="chosen-photo small" data-testid="chosen-photo">
      <span className="muted">Chosen:</span> <span className="file-name">{props.file.name}</span>{' '}
      <span className="muted">({formatBytes(props.file.size)})</span>
    </p>
  );
}
