export interface RadioOption {
  id: string;
  label: string;
  color?: string;
  disabled?: boolean;
  note?: string;
}

/** A radio-button group with colour-coded options (attribution models, metrics). */
export function RadioGroup({ legend, options, value, onChange, name }: { legend: string; options: RadioOption[]; value: string; onChange: (id: string) => void; name: string }) {
  return (
    <fieldset className="radio-group">
      <legend className="sr-only">{legend}</legend>
      {options.map((o) => (
        <label key={o.id} title={o.note} style={{ opacity: o.disabled ? 0.5 : 1 }}>
          <input type="radio" name={name} value={o.id} checked={value === o.id} disabled={o.disabled} onChange={() => onChange(o.id)} />
          {o.color && <span className="radio-dot" style={{ background: o.color }} aria-hidden />}
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}
