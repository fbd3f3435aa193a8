import type { Detection, PredictResponse } from '@foodlens/contracts';
import { useState } from 'react';

/** Boxes closer than this to the top edge carry their label inside, so it is not cut off above the photo. */
const LABEL_INSIDE_BELOW = 0.12;

/**
 * The photo with each detection's box drawn over it. Boxes are in the uploaded image's pixels (after EXIF rotation,
 * which the browser applies to the preview too), placed as percentages so they follow the photo at any width.
 */
export function DetectionOverlay(props: { src: string; detections: Detection[]; image: PredictResponse['image'] | null }) {
  const { image } = props;
  // a file the browser cannot draw (not an image after all): say so instead of a broken-image icon
  const [unreadable, setUnreadable] = useState(false);
  if (unreadable) return <p className="muted small preview-missing">No preview: the browser cannot display this file.</p>;
  const boxes = image ? props.detections : [];
  return (
    <figure className="overlay" data-testid="overlay">
      <img
        src={props.src}
        alt={boxes.length > 0 ? `Your photo, with ${boxes.length} detection box${boxes.length === 1 ? '' : 'es'} drawn` : 'Your photo'}
        onError={() => setUnreadable(true)}
      />
      {image &&
        boxes.map((d, i) => (
          // The answer card lists the same detections as text; the boxes are the picture of it.
          <div
            key={i}
            className={`box${i === 0 ? ' best' : ''}${d.box.y / image.height < LABEL_INSIDE_BELOW ? ' label-inside' : ''}`}
            aria-hidden="true"
            style={{
              // best first in the answer: drawn last-to-first so the best box and label are on top
              zIndex: boxes.length - i,
              left: `${(d.box.x / image.width) * 100}%`,
              top: `${(d.box.y / image.height) * 100}%`,
              width: `${(d.box.width / image.width) * 100}%`,
              height: `${(d.box.height / image.height) * 100}%`,
            }}
          >
            {/* numbered like the answer's detection list */}
            <span>
              {i + 1} · {d.label} {(d.confidence * 100).toFixed(0)}%
            </span>
          </div>
        ))}
    </figure>
  );
}
