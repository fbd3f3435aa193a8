import { useState } from 'react';

/** Phones and tablets: a desktop browser ignores `capture` and would only open the file chooser a second way. */
const hasTouchScreen = () => window.matchMedia('(pointer: coarse)').matches;

/**
 * "Take a photo": on a phone, `capture` opens the rear camera straight away. The input is visually hidden inside its
 * label, which looks like a button; the focus ring is drawn on the label.
 */
export function CameraCapture(props: { onFile: (file: File) => void; disabled?: boolean }) {
  // decided once: a device keeps its kind of pointer (and a resize must not make the control come and go)
  const [shown] = useState(hasTouchScreen);
  if (!shown) return null;
  return (
    <label className="camera-capture">
      <input
        type="file"
        accept="image/*"
        capture="environment"
        className="sr-only"
        disabled={props.disabled}
        onChange={(e) => {
          const file = e.target.files?.[0];
          // cleared, so taking the same shot again still fires a change
          e.target.value = '';
          if (file) props.onFile(file);
        }}
      />
      <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">
        <path
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinejoin="round"
          d="M3 8h4l2-3h6l2 3h4v11H3z M12 10.5a3.5 3.5 0 1 0 0 7a3.5 3.5 0 1 0 0-7z"
        />
      </svg>
      Take a photo
    </label>
  );
}
