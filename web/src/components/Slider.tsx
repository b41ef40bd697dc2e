import { useId, type CSSProperties } from "react";

export interface SliderProps {
  label: string;
  value: number;
  min?: number;
  max?: number;
  step?: number;
  onChange: (value: number) => void;
  /** Track fill colour. */
  color?: string;
  /** Big value text at the right, e.g. "40.0%". */
  valueText: string;
  /** Small text under it, e.g. the amount "$1.2M". */
  detail?: string;
  disabled?: boolean;
  /** Fired once the user lets go (mouse up, key up). */
  onCommit?: (value: number) => void;
}

/**
 * A labelled, keyboard-accessible range slider (arrow keys, Page Up/Down, Home/End are native to
 * input[type=range]); screen readers hear the label and `valueText`, not the raw number.
 */
export function Slider({ label, value, min = 0, max = 100, step = 0.5, onChange, color, valueText, detail, disabled, onCommit }: SliderProps) {
  const id = useId();
  const pct = max > min ? ((Math.min(Math.max(value, min), max) - min) / (max - min)) * 100 : 0;
  const style = { "--pct": `${pct}%`, "--fill": color } as CSSProperties;
  const aria = detail ? `${valueText}, ${detail}` : valueText;
  return (
    <div className="slider">
      <label htmlFor={id} className="slider-label">
        {color && <span className="slider-swatch" style={{ background: color }} aria-hidden />}
        {label}
      </label>
      <input
        id={id}
        className="range"
        type="range"
        min={min}
        max={max}
        step={step}
        value={value}
        disabled={disabled}
        style={style}
        aria-valuetext={aria}
        onChange={(e) => onChange(Number(e.currentTarget.value))}
        onPointerUp={(e) => onCommit?.(Number(e.currentTarget.value))}
        onKeyUp={(e) => onCommit?.(Number(e.currentTarget.value))}
      />
      <div className="slider-value" aria-hidden>
        <strong>{valueText}</strong>
        {detail && <span>{detail}</span>}
      </div>
    </div>
  );
}
