import { type DragEvent, useEffect, useRef, useState } from 'react';

/**
 * A large target to drop a photo on, highlighted while a file is dragged over it. It is also a button (Enter, Space,
 * a tap) that opens the file chooser, so it works without a mouse.
 */
export function DropZone(props: { onFile: (file: File) => void; onChoose: () => void; disabled?: boolean; hintId: string }) {
  const [over, setOver] = useState(false);
  // dragenter/dragleave fire for every child crossed: count them, so the highlight does not flicker
  const depth = useRef(0);

  // A photo dropped just beside the zone would make the browser open it in place of the app.
  useEffect(() => {
    const keep = (e: globalThis.DragEvent) => {
      if (e.dataTransfer?.types.includes('Files')) e.preventDefault();
    };
    window.addEventListener('dragover', keep);
    window.addEventListener('drop', keep);
    return () => {
      window.removeEventListener('dragover', keep);
      window.removeEventListener('drop', keep);
    };
  }, []);

  const isFileDrag = (e: DragEvent) => e.dataTransfer.types.includes('Files');
  return (
    <button
      type="button"
      className={`drop-zone${over ? ' drag-over' : ''}`}
      data-testid="drop-zone"
      disabled={props.disabled}
      aria-describedby={props.hintId}
      onClick={props.onChoose}
      onDragEnter={(e) => {
        if (!isFileDrag(e)) return;
        e.preventDefault();
        depth.current += 1;
        setOver(true);
      }}
      onDragOver={(e) => {
        if (!isFileDrag(e)) return;
        e.preventDefault(); // allows the drop
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={() => {
        depth.current = Math.max(0, depth.current - 1);
        if (depth.current === 0) setOver(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        depth.current = 0;
        setOver(false);
        const file = e.dataTransfer.files[0];
        if (file) props.onFile(file);
      }}
    >
      <span className="drop-zone-title">{over ? 'Drop the photo to use it' : 'Drop a food photo here'}</span>
      <span className="drop-zone-sub">or press to choose a file</span>
    </button>
  );
}
