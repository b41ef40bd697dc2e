import { useRef, useState } from "react";
import type { FlightEffect, Timeline } from "../api/hooks/timeline";
import { useCalendar, useTimeline, useUploadCalendar } from "../api/hooks/timeline";
import { Card } from "../components/Card";
import { ErrorState, Loading } from "../components/States";
import { channelColor } from "../lib/colors";
import { formatCurrency, formatDate, formatInterval, formatKpi, formatRatio, type Units } from "../lib/format";

const DAY = 86_400_000;
const WINDOWS = [30, 60, 90];

/** Days between two ISO dates. */
const days = (a: string, b: string) => Math.round((Date.parse(b) - Date.parse(a)) / DAY);

/** Evenly spaced date markers (about `n`) from `start` to `end`. */
export function markers(start: string, end: string, n = 6): string[] {
  const span = Math.max(1, days(start, end));
  const step = Math.max(1, Math.round(span / n));
  const out: string[] = [];
  for (let d = 0; d <= span; d += step) out.push(new Date(Date.parse(start) + d * DAY).toISOString().slice(0, 10));
  return out;
}

function Node({ f, left, color }: { f: FlightEffect; left: number; color: string }) {
  const label = f.creative_type || f.channel;
  return (
    <li className="launch-node" style={{ position: "absolute", left: `${left}%`, transform: "translateX(-50%)", textAlign: "center", listStyle: "none" }} data-testid="launch-node">
      <span aria-hidden style={{ display: "block", width: 12, height: 12, borderRadius: 6, background: color, margin: "0 auto" }} />
      <span className="small">{label}</span>
      <span className="small muted" style={{ display: "block" }}>
        {f.channel} · {formatDate(f.start)}
      </span>
    </li>
  );
}

function FlightCard({ f, units, level }: { f: FlightEffect; units: Units; level: number }) {
  const c = f.contribution;
  return (
    <article className="card tinted" aria-label={`${f.campaign}: ${f.creative || f.channel}`} style={{ padding: 12 }}>
      <h3 style={{ margin: 0 }}>
        {f.creative || f.channel} <span className="muted small">({f.creative_type || "creative type not given"})</span>
      </h3>
      <p className="small" style={{ margin: "4px 0" }}>
        {f.campaign} on {f.channel}, {formatDate(f.start)} to {formatDate(f.end)}
        {f.segment ? `, segment ${f.segment}` : ""}
        {f.tags?.length ? ` · ${f.tags.map((t) => `#${t}`).join(" ")}` : ""}
      </p>
      <dl className="small" style={{ margin: 0 }}>
        <dt>Spend attributed</dt>
        <dd>{formatCurrency(f.spend_in_model, units.currency)}</dd>
        <dt>Contribution, during + after (carry-over included)</dt>
        <dd>
          {formatKpi(c.mean, units)} <span className="muted">{formatInterval(c.lo, c.hi, "kpi", units, level)}</span>
        </dd>
        <dt>of which after the flight</dt>
        <dd>
          {formatKpi(f.contribution_after.mean, units)} <span className="muted">{formatInterval(f.contribution_after.lo, f.contribution_after.hi, "kpi", units, level)}</span>
        </dd>
        <dt>ROAS</dt>
        <dd>{f.roas ? <>{formatRatio(f.roas.mean)} <span className="muted">{formatInterval(f.roas.lo, f.roas.hi, "ratio", units, level)}</span></> : `not shown: ${f.why_no_roas}`}</dd>
      </dl>
    </article>
  );
}

/** The Creative Launch Timeline of a calendar: markers, a node per launch, cards, consistency and tags. */
export function LaunchTimeline({ timeline, units, channels }: { timeline: Timeline; units: Units; channels: string[] }) {
  const flights = [...timeline.flights].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  if (!flights.length) return <p>The calendar has no flights.</p>;
  const start = flights[0].start;
  const end = flights.reduce((m, f) => (f.end > m ? f.end : m), flights[0].end);
  const span = Math.max(1, days(start, end));
  const pos = (d: string) => (100 * days(start, d)) / span;
  const color = (ch: string) => channelColor(Math.max(0, channels.indexOf(ch)));
  const c = timeline.consistency;
  const level = timeline.interval;
  const score = c.current.score;
  return (
    <div className="grid">
      <Card title="Launches" subtitle={`${flights.length} flights from ${formatDate(start)} to ${formatDate(end)}. A node per launch, labelled with its creative type and channel.`}>
        <div role="group" aria-label="Launch timeline" style={{ position: "relative", height: 110, margin: "8px 24px" }}>
          <div aria-hidden style={{ position: "absolute", top: 5, left: 0, right: 0, borderTop: "2px solid var(--border, #ccc)" }} />
          <ol style={{ margin: 0, padding: 0 }}>
            {flights.map((f) => (
              <Node key={f.row} f={f} left={pos(f.start)} color={color(f.channel)} />
            ))}
          </ol>
          <div aria-label="Date markers" style={{ position: "absolute", bottom: 0, left: 0, right: 0 }}>
            {markers(start, end).map((m) => (
              <span key={m} className="small muted" data-testid="date-marker" style={{ position: "absolute", left: `${pos(m)}%`, transform: "translateX(-50%)" }}>
                {formatDate(m)}
              </span>
            ))}
          </div>
        </div>
      </Card>
      <div className="grid grid-main-side">
        <Card title="Flights" subtitle={`From the fitted model, ${Math.round(level * 100)}% intervals. ${timeline.method} After = the ${timeline.carry_over_periods} periods following a flight.`}>
          <div className="grid" style={{ gridTemplateColumns: "repeat(auto-fill, minmax(260px, 1fr))" }}>
            {flights.map((f) => (
              <FlightCard key={f.row} f={f} units={units} level={level} />
            ))}
          </div>
        </Card>
        <div className="grid">
          <Card title="Consistency score" subtitle={c.definition}>
            <p style={{ fontSize: 28, margin: 0 }} data-testid="consistency-score">
              {score == null ? "—" : `${Math.round(score * 100)}%`}
            </p>
            <p className="small">
              {score == null
                ? `No campaign is active in the ${c.window_days} days to ${formatDate(c.current.end)}.`
                : `${c.current.consistent_days} of ${c.current.active_days} campaign-days, ${formatDate(c.current.start)} to ${formatDate(c.current.end)}.`}{" "}
              {c.change == null
                ? "No change shown: no campaign was active in the previous window."
                : `${c.change >= 0 ? "+" : "−"}${Math.abs(Math.round(c.change * 100))} points vs the previous ${c.window_days} days.`}
            </p>
          </Card>
          <Card title="Tag performance" subtitle={`Contribution per unit of spend of the flights carrying each tag (carry-over included), shown from ${timeline.min_tag_flights} flights.`}>
            {timeline.tags.length === 0 ? (
              <p className="small">No flight carries a tag: add a tags column (e.g. “#launch #brand”) to the calendar.</p>
            ) : (
              <table className="table small" aria-label="Tags">
                <thead>
                  <tr>
                    <th>Tag</th>
                    <th className="num">Flights</th>
                    <th className="num">Per unit of spend</th>
                  </tr>
                </thead>
                <tbody>
                  {timeline.tags.map((t) => (
                    <tr key={t.tag}>
                      <td>#{t.tag}</td>
                      <td className="num">{t.flights}</td>
                      <td className="num">
                        {t.per_spend ? (
                          <>
                            {formatRatio(t.per_spend.mean)} <span className="muted">{formatInterval(t.per_spend.lo, t.per_spend.hi, "ratio", units, level)}</span>
                          </>
                        ) : (
                          <span className="muted">not shown: {t.why}</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </Card>
        </div>
      </div>
      {timeline.findings.length > 0 && (
        <Card title="Calendar checks">
          <ul className="small">
            {timeline.findings.map((f, i) => (
              <li key={i}>
                <strong>{f.code}</strong>: {f.message}
              </li>
            ))}
          </ul>
        </Card>
      )}
    </div>
  );
}

/** The calendar upload and the launch timeline of the current model. */
export function CampaignSection({ modelId, units, channels }: { modelId: string | null; units: Units; channels: string[] }) {
  const [windowDays, setWindowDays] = useState(30);
  const calendar = useCalendar();
  const hasCalendar = !!calendar.data?.flights.length;
  const timeline = useTimeline(modelId, windowDays, hasCalendar);
  const upload = useUploadCalendar();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <Card title="Campaign calendar" subtitle="One row per flight: campaign, channel, start, end; optionally creative, creative_type, tags, segment, spend (CSV, Excel or Parquet).">
        <input ref={input} type="file" aria-label="Campaign calendar file" accept=".csv,.tsv,.xlsx,.xls,.parquet" onChange={(e) => e.target.files?.[0] && upload.mutate(e.target.files[0])} />
        <label className="small" style={{ marginLeft: 16 }}>
          Consistency window{" "}
          <select value={windowDays} onChange={(e) => setWindowDays(Number(e.target.value))} aria-label="Consistency window">
            {WINDOWS.map((w) => (
              <option key={w} value={w}>
                {w} days
              </option>
            ))}
          </select>
        </label>
        {upload.isError && <ErrorState error={upload.error} />}
        {!calendar.isPending && !hasCalendar && <p className="small">No calendar yet: upload one to see launches, the consistency score and tag performance.</p>}
      </Card>
      {hasCalendar && (timeline.isPending ? <Loading what="Computing the launch timeline" /> : timeline.isError ? <ErrorState error={timeline.error} onRetry={() => timeline.refetch()} /> : timeline.data ? <LaunchTimeline timeline={timeline.data} units={units} channels={channels} /> : null)}
    </>
  );
}
