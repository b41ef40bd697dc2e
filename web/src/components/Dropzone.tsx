import { useId, useRef, useState, type DragEvent } from "react";

/** Drop a file here or choose one; keyboard users get the native file input's button. */
export function Dropzone({ onFile, accept, disabled, hint }: { onFile: (f: File) => void; accept: string; disabled?: boolean; hint?: string }) {
  const [drag, setDrag] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const id = useId();
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDrag(false);
    const f = e.dataTransfer.files?.[0];
    if (f && !disabled) onFile(f);
  };
  return (
    <div
      className={`dropzone${drag ? " drag" : ""}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDrag(true);
      }}
      onDragLeave={() => setDrag(false)}
      onDrop={onDrop}
      onClick={() => input.current?.click()}
    >
      <div style={{ fontSize: 26, color: "#2563eb" }} aria-hidden>
        ⇪
      </div>
      <p style={{ fontWeight: 600, color: "#0f172a" }}>Drop a file here, or choose one</p>
      {hint && <p className="muted small">{hint}</p>}
      <label htmlFor={id} className="btn btn-secondary btn-sm mt" onClick={(e) => e.stopPropagation()}>
        Choose file
      </label>
      <input
        id={id}
        ref={input}
        type="file"
        accept={accept}
        disabled={disabled}
        aria-label="Upload a data file"
        className="sr-only"
        onClick={(e) => e.stopPropagation()}
        onChange={(e) => {
          const f = e.currentTarget.files?.[0];
          if (f) onFile(f);
          e.currentTarget.value = "";
        }}
      />
    </div>
  );
}
