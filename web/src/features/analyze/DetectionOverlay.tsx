import type { Detection, PredictResponse } from '@foodlens/contracts';

/** The photo with each food's box drawn over it; boxes are in the uploaded image's pixels, scaled by percentage. */
export function DetectionOverlay(props: { src: string; detections: Detection[]; image: PredictResponse['image'] | null }) {
  const { image } = props;
  return (
    <figure className="overlay">
      <img src={props.src} alt="uploaded food" />
      {image &&
        props.detections.map((d, i) => (
          <div
            key={i}
            className="box"
            style={{
              left: `${(d.box.x / image.width) * 100}%`,
              top: `${(d.box.y / image.height) * 100}%`,
              width: `${(d.box.width / image.width) * 100}%`,
              height: `${(d.box.height / image.height) * 100}%`,
            }}
          >
            <span>
              {d.label} {(d.confidence * 100).toFixed(0)}%
            </span>
          </div>
        ))}
    </figure>
  );
}
