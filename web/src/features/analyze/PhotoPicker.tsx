import { useId, useRef } from 'react';
import { CameraCapture } from './CameraCapture';
import { DropZone } from './DropZone';
import { formatBytes, MAX_UPLOAD_BYTES } from './upload-checks';

/** The three ways to bring a photo: drop it, choose it (the zone opens the file input behind it), or take it. */
export function PhotoPicker(props: { onFile: (file: File) => void; disabled?: boolean }) {
  const hintId = useId();
  const input = useRef<HTMLInputElement>(null);
  return (
    <div className="photo-picker">
      <DropZone onFile={props.onFile} onChoose={() => input.current?.click()} disabled={props.disabled} hintId={hintId} />
      {/* The chooser the zone opens; out of the tab order, since the zone is its keyboard way in. */}
      <input
        ref={input}
        type="file"
        name="file"
        accept="image/jpeg,image/png,image/webp"
        aria-label="Food photo"
        className="sr-only"
        tabIndex={-1}
        disabled={props.disabled}
        onChange={(e) => {
          const file = e.target.files?.[0];
          e.target.value = ''; // choosing the same file again still fires a change
          if (file) props.onFile(file);
        }}
      />
      <div className="picker-row">
        <CameraCapture onFile={props.onFile} disabled={props.disabled} />
        <p id={hintId} className="muted small">
          JPEG, PNG or WebP, up to {formatBytes(MAX_UPLOAD_BYTES)}.
        </p>
      </div>
    </div>
  );
}
