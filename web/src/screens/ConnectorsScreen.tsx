import { useState, type FormEvent } from "react";
import type { Schemas } from "../api/client";
import { ApiError } from "../api/errors";
import { useMe } from "../api/hooks/accounts";
import { useAddConnector, useConnectorKinds, useConnectors, useRunSchedule, useSchedules, useSyncConnector } from "../api/hooks/connectors";
import { Card } from "../components/Card";
import { Alert, ErrorState, Loading } from "../components/States";
import { formatDate } from "../lib/format";

/** Connectors (ad platforms, analytics, warehouse tables) and the schedules that refresh the
 * model from them, with each schedule's last runs and their logs. Connectors are added with
 * `mixwise connect add` or POST /connectors: secrets never come back to the browser. */
export function ConnectorsScreen() {
  const role = useMe().data?.role ?? "viewer";
  return (
    <div className="stack">
      <ConnectorsCard />
      {(role === "admin" || role === "owner") && <AddConnectorCard />}
      <SchedulesCard />
    </div>
  );
}

function ConnectorsCard() {
  const connectors = useConnectors();
  const sync = useSyncConnector();
  if (connectors.isLoading) return <Loading what="Loading the connectors" />;
  if (connectors.isError) return <ErrorState error={connectors.error} />;
  const rows = connectors.data!;
  return (
    <Card title="Connectors" subtitle="Sources that land spend and conversions; each sync reads the new days plus a lookback for late conversions.">
      {rows.length === 0 ? (
        <p className="small">No connector yet. Add one with <code>mixwise connect add KIND -w WORKSPACE --name NAME</code>.</p>
      ) : (
        <table className="table small" aria-label="Connectors">
          <thead>
            <tr>
              <th>Name</th>
              <th>Source</th>
              <th>Data up to</th>
              <th>Last sync</th>
              <th>Status</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td>
                <td>{c.label}</td>
                <td>{c.last_day ? formatDate(c.last_day) : "—"}</td>
                <td>{c.last_sync_at ? formatDate(c.last_sync_at) : "never"}</td>
                <td>{c.last_status === "failed" ? <span role="status">failed: {c.last_error}</span> : (c.last_status ?? "never synced")}</td>
                <td>
                  <button type="button" className="btn small" disabled={sync.isPending} onClick={() => sync.mutate(c.id)}>
                    Sync now
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {sync.isError && <Alert tone="error">{ApiError.from(sync.error).message}</Alert>}
    </Card>
  );
}

function SchedulesCard() {
  const schedules = useSchedules();
  const run = useRunSchedule();
  if (schedules.isLoading) return <Loading what="Loading the schedules" />;
  if (schedules.isError) return <ErrorState error={schedules.error} />;
  const rows = schedules.data!;
  return (
    <Card title="Schedules" subtitle="Each run: sync → validate → refit → compare. A failed step stops the run and the current model stays.">
      {rows.length === 0 && <p className="small">No schedule yet. Add one with <code>mixwise schedule add NAME -w WORKSPACE --cron weekly</code>.</p>}
      {rows.map((s) => (
        <section key={s.id} aria-label={`Schedule ${s.name}`}>
          <div className="row">
            <strong>{s.name}</strong>
            <span className="small">
              {s.cron} (UTC) · current model {s.model_id ?? "—"} · next run {s.next_run_at ? formatDate(s.next_run_at) : "—"}
            </span>
            <button type="button" className="btn small" disabled={run.isPending} onClick={() => run.mutate(s.id)}>
              Run now
            </button>
          </div>
          <Runs runs={s.runs ?? []} />
        </section>
      ))}
      {run.isError && <Alert tone="error">{ApiError.from(run.error).message}</Alert>}
    </Card>
  );
}

function Runs({ runs }: { runs: Schemas["ScheduleRunOut"][] }) {
  if (runs.length === 0) return <p className="small">No run yet.</p>;
  return (
    <table className="table small" aria-label="Last runs">
      <thead>
        <tr>
          <th>Started</th>
          <th>Status</th>
          <th>Step</th>
          <th>Outcome</th>
          <th>Log</th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => (
          <tr key={r.id}>
            <td>{formatDate(r.created_at)}</td>
            <td>{r.status}</td>
            <td>{r.step}</td>
            <td>{r.error ?? (r.new_model_id ? `new model ${r.new_model_id}${flagged(r)}` : "")}</td>
            <td>
              <details>
                <summary>{(r.log ?? []).length} lines</summary>
                <pre className="small">{(r.log ?? []).join("\n")}</pre>
              </details>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function flagged(r: Schemas["ScheduleRunOut"]): string {
  const names = (r.summary as { flagged?: string[] }).flagged ?? [];
  return names.length ? ` · flagged: ${names.join(", ")}` : "";
}

/** Settings and secrets of a new connector; secret fields are password inputs, cleared once sent. */
function AddConnectorCard() {
  const kinds = useConnectorKinds();
  const add = useAddConnector();
  const [kind, setKind] = useState("");
  const [name, setName] = useState("");
  const [values, setValues] = useState<Record<string, string>>({});
  const source = kinds.data?.find((k) => k.name === kind);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!source) return;
    const pick = (fields: string[]) => Object.fromEntries(fields.filter((f) => values[f]).map((f) => [f, values[f]]));
    add.mutate(
      { name, kind, settings: pick(source.settings), secrets: pick(source.secrets), lookback_days: 7, replace: false },
      { onSuccess: () => setValues({}) },
    );
  }

  return (
    <Card title="Add a connector" subtitle="Secrets are encrypted on the server (MIXWISE_SECRET_KEY) and never shown again.">
      <form onSubmit={submit} aria-label="Add a connector" className="stack">
        <label>
          Source{" "}
          <select value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="">choose…</option>
            {(kinds.data ?? []).map((k) => (
              <option key={k.name} value={k.name}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        {source && (
          <>
            <label>
              Name <input value={name} onChange={(e) => setName(e.target.value)} required />
            </label>
            {source.settings.map((f) => (
              <label key={f}>
                {f} <input value={values[f] ?? ""} onChange={(e) => setValues({ ...values, [f]: e.target.value })} />
              </label>
            ))}
            {source.secrets.map((f) => (
              <label key={f}>
                {f} <input type="password" autoComplete="off" value={values[f] ?? ""} onChange={(e) => setValues({ ...values, [f]: e.target.value })} />
              </label>
            ))}
            <button type="submit" className="btn" disabled={add.isPending}>
              Add
            </button>
          </>
        )}
        {add.isError && <Alert tone="error">{ApiError.from(add.error).message}</Alert>}
        {add.isSuccess && <Alert tone="good">Connector {add.data.name} added.</Alert>}
      </form>
    </Card>
  );
}
