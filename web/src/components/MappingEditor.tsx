import { useMemo, useState } from "react";

/** The parts of a mapping the form edits; anything else in it (source, resample …) is kept. */
export interface MappingData {
  date?: string;
  geo?: string | null;
  kpi?: { column?: string; type?: "revenue" | "conversions"; revenue_per_conversion?: string | null };
  channels?: { name: string; spend: string; exposure?: string | null; exposure_type?: string | null }[];
  controls?: string[];
  organic?: string[];
  events?: string[];
  fill?: "none" | "zero";
  [k: string]: unknown;
}

export interface MappingEditorProps {
  columns: string[];
  initial: MappingData;
  initialYaml: string;
  notes?: string[];
  saving?: boolean;
  /** Field-level messages from the server, by field path ("kpi.column", "channels.0.spend"). */
  fieldError?: (field: string) => string | undefined;
  onSave: (body: { mapping: MappingData } | { yaml: string }) => void;
}

function ColumnSelect({ label, value, columns, onChange, optional, id }: { label: string; value?: string | null; columns: string[]; onChange: (v: string | null) => void; optional?: boolean; id: string }) {
  return (
    <label className="field" htmlFor={id}>
      <span>{label}</span>
      <select id={id} className="select" value={value ?? ""} onChange={(e) => onChange(e.target.value || null)}>
        {optional || !value ? <option value="">{optional ? "— none —" : "choose a column"}</option> : null}
        {columns.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
    </label>
  );
}

function ColumnChips({ label, values, columns, onChange }: { label: string; values: string[]; columns: string[]; onChange: (v: string[]) => void }) {
  const free = columns.filter((c) => !values.includes(c));
  return (
    <div className="field">
      <span>{label}</span>
      <div className="row" style={{ gap: 6 }}>
        {values.map((v) => (
          <span key={v} className="badge badge-blue">
            {v}
            <button type="button" aria-label={`Remove ${v} from ${label}`} onClick={() => onChange(values.filter((x) => x !== v))} style={{ border: 0, background: "none", cursor: "pointer", color: "inherit", padding: 0 }}>
              ×
            </button>
          </span>
        ))}
        <select aria-label={`Add a column to ${label}`} className="select" value="" onChange={(e) => e.target.value && onChange([...values, e.target.value])} style={{ maxWidth: 180 }}>
          <option value="">+ add</option>
          {free.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

/** Review and edit the proposed mapping as a form, or as YAML for everything else. */
export function MappingEditor({ columns, initial, initialYaml, notes, saving, fieldError, onSave }: MappingEditorProps) {
  const [m, setM] = useState<MappingData>(initial);
  const [mode, setMode] = useState<"form" | "yaml">("form");
  const [yaml, setYaml] = useState(initialYaml);
  // The form is seeded once: the parent remounts it (key) when the saved mapping changes, so a
  // background refetch never overwrites what the user is typing.

  const channels = m.channels ?? [];
  const used = useMemo(() => new Set([m.date, m.kpi?.column, ...channels.map((c) => c.spend)].filter(Boolean) as string[]), [m, channels]);
  const others = columns.filter((c) => !used.has(c));
  const set = (patch: Partial<MappingData>) => setM((x) => ({ ...x, ...patch }));
  const setChannel = (i: number, patch: Partial<MappingData["channels"] extends (infer T)[] | undefined ? T : never>) =>
    set({ channels: channels.map((c, j) => (j === i ? { ...c, ...patch } : c)) });
  const err = (f: string) => fieldError?.(f);

  return (
    <div className="stack">
      <div className="row-between">
        <div className="row" role="tablist" aria-label="Mapping editor">
          <button type="button" role="tab" aria-selected={mode === "form"} className={`btn btn-sm ${mode === "form" ? "" : "btn-secondary"}`} onClick={() => setMode("form")}>
            Form
          </button>
          <button type="button" role="tab" aria-selected={mode === "yaml"} className={`btn btn-sm ${mode === "yaml" ? "" : "btn-secondary"}`} onClick={() => setMode("yaml")}>
            YAML
          </button>
        </div>
        <button type="button" className="btn" disabled={saving} onClick={() => onSave(mode === "form" ? { mapping: m } : { yaml })}>
          {saving ? "Saving…" : "Save mapping"}
        </button>
      </div>
      {notes && notes.length > 0 && (
        <div className="alert alert-info" role="note">
          <div>
            <strong>What was guessed and why</strong>
            <ul style={{ margin: "4px 0 0", paddingLeft: 18 }}>
              {notes.map((n, i) => (
                <li key={i}>{n}</li>
              ))}
            </ul>
          </div>
        </div>
      )}
      {mode === "yaml" ? (
        <label className="field">
          <span>Mapping (YAML)</span>
          <textarea className="input" rows={16} spellCheck={false} style={{ fontFamily: "ui-monospace, monospace", fontSize: 12 }} value={yaml} onChange={(e) => setYaml(e.target.value)} />
        </label>
      ) : (
        <>
          <div className="grid grid-4">
            <ColumnSelect id="map-date" label="Date column" value={m.date} columns={columns} onChange={(v) => set({ date: v ?? undefined })} />
            <ColumnSelect id="map-kpi" label="KPI column" value={m.kpi?.column} columns={columns} onChange={(v) => set({ kpi: { ...m.kpi, column: v ?? undefined } })} />
            <label className="field" htmlFor="map-kpi-type">
              <span>KPI type</span>
              <select id="map-kpi-type" className="select" value={m.kpi?.type ?? "revenue"} onChange={(e) => set({ kpi: { ...m.kpi, type: e.target.value as "revenue" | "conversions" } })}>
                <option value="revenue">revenue (money)</option>
                <option value="conversions">conversions (counts)</option>
              </select>
            </label>
            <ColumnSelect id="map-geo" label="Geo column" value={m.geo} columns={columns} optional onChange={(v) => set({ geo: v })} />
          </div>
          {(err("date") || err("kpi.column")) && <span className="field-error">{err("date") ?? err("kpi.column")}</span>}
          <div className="table-wrap">
            <table className="table" aria-label="Channels">
              <thead>
                <tr>
                  <th>Channel name</th>
                  <th>Spend column</th>
                  <th>Exposure column (optional)</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {channels.map((c, i) => (
                  <tr key={i}>
                    <td>
                      <input className="input" aria-label={`Channel ${i + 1} name`} value={c.name} onChange={(e) => setChannel(i, { name: e.target.value })} />
                    </td>
                    <td>
                      <select className="select" aria-label={`Channel ${i + 1} spend column`} value={c.spend} onChange={(e) => setChannel(i, { spend: e.target.value })}>
                        {columns.map((col) => (
                          <option key={col}>{col}</option>
                        ))}
                      </select>
                      {err(`channels.${i}.spend`) && <div className="field-error">{err(`channels.${i}.spend`)}</div>}
                    </td>
                    <td>
                      <select className="select" aria-label={`Channel ${i + 1} exposure column`} value={c.exposure ?? ""} onChange={(e) => setChannel(i, { exposure: e.target.value || null, exposure_type: e.target.value ? c.exposure_type ?? "impressions" : null })}>
                        <option value="">— none —</option>
                        {columns.map((col) => (
                          <option key={col}>{col}</option>
                        ))}
                      </select>
                    </td>
                    <td className="num">
                      <button type="button" className="btn btn-sm btn-danger" aria-label={`Remove channel ${c.name}`} onClick={() => set({ channels: channels.filter((_, j) => j !== i) })}>
                        Remove
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div>
            <button
              type="button"
              className="btn btn-sm btn-secondary"
              disabled={others.length === 0}
              onClick={() => set({ channels: [...channels, { name: others[0], spend: others[0] }] })}
            >
              + Add channel
            </button>
          </div>
          <div className="grid grid-3">
            <ColumnChips label="Controls" values={m.controls ?? []} columns={others} onChange={(v) => set({ controls: v })} />
            <ColumnChips label="Organic / non-media" values={m.organic ?? []} columns={others} onChange={(v) => set({ organic: v })} />
            <ColumnChips label="Events" values={m.events ?? []} columns={others} onChange={(v) => set({ events: v })} />
          </div>
          <label className="row small">
            <input type="checkbox" checked={m.fill === "zero"} onChange={(e) => set({ fill: e.target.checked ? "zero" : "none" })} />
            Fill missing spend with 0 (reported as a finding; otherwise missing spend is an error)
          </label>
        </>
      )}
    </div>
  );
}
