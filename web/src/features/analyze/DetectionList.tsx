import type { Detection } from '@foodlens/contracts';

/** Built-in detectors answer at most 5; a user classifier may answer more. */
const SHOWN = 10;

/** Every detection of the answer, best first, with its box in the photo's pixels. */
export function DetectionList(props: { detections: Detection[] }) {
  const { detections } = props;
  if (detections.length === 0) return null;
  return (
    <div className="detections">
      <h3>
        {detections.length} detection{detections.length === 1 ? '' : 's'}
      </h3>
      <ol data-testid="detections">
        {detections.slice(0, SHOWN).map((d, i) => (
          <li key={i}>
            <strong>{d.label}</strong> {(d.confidence * 100).toFixed(1)}%{' '}
            <span className="muted small">
              at {Math.round(d.box.x)},{Math.round(d.box.y)} · {Math.round(d.box.width)}×{Math.round(d.box.height)} px
            </span>
          </li>
        ))}
      </ol>
      {detections.length > SHOWN && (
        <p className="muted small">
          Showing the best {SHOWN} of {detections.length}.
        </p>
      )}
    </div>
  );
}
