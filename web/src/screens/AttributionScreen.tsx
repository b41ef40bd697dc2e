import { useMemo, useState } from "react";
import { useQueries } from "@tanstack/react-query";
import { api, unwrap } from "../api/client";
import type { Summary } from "../api/hooks/models";
import { Card } from "../components/Card";
import { ChannelAllocation } from "../components/ChannelAllocation";
import { Chart } from "../components/charts/Chart";
import { attributionBars } from "../components/charts/options";
import { RadioGroup } from "../components/ModelSelector";
import { ErrorState, Loading } from "../components/States";
import { channelColor, modelColor } from "../lib/colors";
import { formatDate, formatPercent } from "../lib/format";
import { useCurrentModel } from "../lib/useCurrentModel";
import { NoModel } from "./NoModel";
import { ReviewBadge } from "../components/ReviewBadge";

const CUSTOM = "custom";

/** Each channel's share of the media contribution (credit), from a model summary. */
export function creditShares(s: Summary, channels: string[]): (number | null)[] {
  const vals = channels.map((c) => s.channels[c]?.contribution.mean ?? null);
  const total = vals.reduce<number>((a, v) => a + Math.max(v ?? 0, 0), 0);
  return vals.map((v) => (v == null || total <= 0 ? null : Math.max(v, 0) / total));
}

export function AttributionScreen() {
  const cm = useCurrentModel();
  const channels = cm.summary.data ? Object.keys(cm.summary.data.channels) : [];
  const comparable = cm.fitted.filter((m) => m.dataset_id === cm.model?.dataset_id);
  const summaries = useQueries({
    queries: comparable.map((m) => ({
      queryKey: ["models", m.id, "summary"],
      queryFn: () => unwrap(api.GET("/api/v1/models/{model_id}/summary", { params: { path: { model_id: m.id } } })),
      staleTime: Infinity,
    })),
  });
  const [selected, setSelected] = useState<string | null>(null);
  const [custom, setCustom] = useState<Record<string, number> | null>(null);

  const models = useMemo(
    () =>
      comparable
        .map((m, i) => ({ m, s: summaries[i]?.data }))
        .filter((x): x is { m: (typeof comparable)[number]; s: Summary } => !!x.s)
        .map(({ m, s }, i) => ({ id: m.id, name: `${m.name} (${m.engine})`, engine: m.engine, color: modelColor(i), shares: creditShares(s, channels), approximate: s.approximate, finished: m.finished_at })),
    [comparable, summaries.map((q) => q.dataUpdatedAt).join(), channels.join()],
  );

  if (!cm.model) return <NoModel title="Attribution Model Comparison" pending={cm.isPending} error={cm.error} models={cm.models} />;
  if (cm.summary.isPending || summaries.some((q) => q.isPending)) return <Loading what="Loading the fitted models" />;
  const err = cm.summary.error ?? summaries.find((q) => q.isError)?.error;
  if (err) return <ErrorState error={err} />;

  const sel = selected ?? models[0]?.id ?? null;
  const selModel = models.find((m) => m.id === sel);
  const customShares = custom ?? Object.fromEntries(channels.map((c, i) => [c, (selModel?.shares[i] ?? 0) * 100]));
  const series = [
    ...models.map((m) => ({ name: m.name, color: m.color, shares: m.shares })),
    ...(custom ? [{ name: "Custom weights", color: "#0e7490", shares: channels.map((c) => customShares[c] / 100) }] : []),
  ];
  const option = attributionBars({ channels, models: series, selected: sel === CUSTOM ? "Custom weights" : selModel?.name });

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Attribution Model Comparison <ReviewBadge summary={cm.summary.data} /></h1>
          <p>Visualizing channel credit distribution across different models to help you choose the best fit. Credit here is each channel's share of the media contribution the model estimates.</p>
        </div>
      </div>
      <div className="grid grid-main-side">
        <Card title="Channel credit by model" subtitle={`One colour per model; ${models.length} fitted model${models.length === 1 ? "" : "s"} on this dataset.`}>
          <Chart option={option} height={Math.max(260, channels.length * 34 * Math.max(1, series.length / 1.6) + 60)} ariaLabel="Share of credit per channel for each model" testId="attribution-bars" />
          <div className="mt">
            <RadioGroup
              legend="Model"
              name="attribution-model"
              value={sel ?? ""}
              onChange={(id) => setSelected(id)}
              options={[...models.map((m) => ({ id: m.id, label: m.name, color: m.color })), ...(custom ? [{ id: CUSTOM, label: "Custom weights", color: "#0e7490" }] : [])]}
            />
          </div>
          <div className="table-wrap mt">
            <table className="table small" aria-label="Credit table">
              <thead>
                <tr>
                  <th>Channel</th>
                  {series.map((s) => (
                    <th key={s.name} className="num">
                      {s.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {channels.map((c, i) => (
                  <tr key={c}>
                    <td>
                      <span className="slider-swatch" style={{ background: channelColor(i), display: "inline-block", marginRight: 8 }} />
                      {c}
                    </td>
                    {series.map((s) => (
                      <td key={s.name} className="num">
                        {formatPercent(s.shares[i])}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
        <div className="stack" style={{ gap: 18 }}>
          <Card title="Custom attribution weights" subtitle="Set your own channel credit (starts from the selected model) to compare it with the models.">
            <ChannelAllocation
              channels={channels.map((c, i) => ({ name: c, color: channelColor(i) }))}
              shares={customShares}
              budget={100}
              showAmounts={false}
              units={cm.units}
              onChange={(c, v) => setCustom({ ...customShares, [c]: v })}
            />
            {custom && (
              <button type="button" className="btn btn-sm btn-secondary mt" onClick={() => setCustom(null)}>
                Clear custom weights
              </button>
            )}
          </Card>
          <Card tinted title="Last touch, first touch and multi-touch" subtitle="Not available for this workspace yet.">
            <div className="stack small">
              <p>
                Rule-based and data-driven multi-touch attribution need <strong>user-level paths</strong>, which this workspace does not have. Each row is one touchpoint:
              </p>
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                <li>
                  a journey or user id, a timestamp, the <strong>channel</strong> (same names as the MMM channels);
                </li>
                <li>and per journey whether it converted, with the conversion value.</li>
              </ul>
              <p className="muted">
                With such data, last touch, first touch and multi-touch join this comparison as more bars. Until then, the models compared are the marketing mix models fitted on this dataset
                {models.length < 2 ? " — fit another engine or spec on the Models screen to compare two." : "."}
              </p>
            </div>
          </Card>
          <Card title="Models compared">
            <ul className="small" style={{ margin: 0, paddingLeft: 18 }}>
              {models.map((m) => (
                <li key={m.id}>
                  <span className="radio-dot" style={{ background: m.color, marginRight: 6 }} />
                  {m.name}
                  {m.finished ? `, fitted ${formatDate(m.finished)}` : ""}
                  {m.approximate ? " (approximate)" : ""}
                </li>
              ))}
            </ul>
          </Card>
        </div>
      </div>
    </>
  );
}
