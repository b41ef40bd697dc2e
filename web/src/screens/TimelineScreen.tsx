import { useMemo } from "react";
import { useContributions } from "../api/hooks/models";
import { ModelTrustBanner } from "../components/ModelTrustBanner";
import { Card } from "../components/Card";
import { Chart } from "../components/charts/Chart";
import { flightsTimeline, timelineHeight } from "../components/charts/options";
import { ErrorState, Loading } from "../components/States";
import { channelColor } from "../lib/colors";
import { flightsFromSpend } from "../lib/flights";
import { formatCurrency, formatDate, formatKpi, formatRatio, humanize } from "../lib/format";
import { useCurrentModel } from "../lib/useCurrentModel";
import { NoModel } from "./NoModel";
import { ReviewBadge } from "../components/ReviewBadge";
import { CampaignSection } from "./CampaignTimeline";

export function TimelineScreen() {
  const cm = useCurrentModel();
  const contributions = useContributions(cm.modelId, !!cm.model);
  const data = contributions.data;
  const units = cm.units;
  const channels = useMemo(() => {
    if (!data) return [];
    return Object.keys(data.channels).map((name, i) => {
      const spend = data.spend[name] ?? [];
      const flights = flightsFromSpend(data.dates, spend);
      const contribution = data.channels[name].mean;
      return { name, color: channelColor(i), flights, contribution, spend };
    });
  }, [data]);
  const option = useMemo(() => (data ? flightsTimeline({ dates: data.dates, channels, units }) : null), [data, channels, units]);

  if (!cm.model) return <NoModel title="Creative Launch Timeline" pending={cm.isPending} error={cm.error} models={cm.models} />;
  const rows = data
    ? channels.flatMap((c) =>
        c.flights.map((f) => {
          const a = data.dates.indexOf(f.start);
          const b = data.dates.indexOf(f.end);
          const contrib = c.contribution.slice(a, b + 1).reduce<number>((s, v) => s + (v ?? 0), 0);
          return { channel: c.name, color: c.color, ...f, periods: b - a + 1, contrib };
        }),
      )
    : [];
  rows.sort((x, y) => (x.start < y.start ? -1 : x.start > y.start ? 1 : 0));

  return (
    <>
      <div className="page-head">
        <div>
          <h1>Creative Launch Timeline <ReviewBadge summary={cm.summary.data} /></h1>
          <p>Visualize the flights of each channel (runs of {cm.periodUnit}s with spend) and what the model says they contributed, {cm.periodUnit} by {cm.periodUnit}.</p>
        </div>
      </div>
      <ModelTrustBanner modelId={cm.modelId} />
      {contributions.isPending ? (
        <Loading what="Loading contributions" />
      ) : contributions.isError ? (
        <ErrorState error={contributions.error} onRetry={() => contributions.refetch()} />
      ) : (
        <div className="grid">
          <Card title="Flights and contribution" subtitle={`Shaded: flights (spend > 0). Line: the model's contribution to ${units.kpiName} per period, carry-over included, so it continues after a flight ends.`}>
            {option && <Chart option={option} height={timelineHeight(channels.length)} ariaLabel="Flights per channel over time with contribution per period" testId="timeline-chart" exportAs={{ name: "flights and contribution", rows: () => [["date", ...channels.flatMap((c) => [`${c.name} spend`, `${c.name} contribution`])], ...(data?.dates ?? []).map((d, i) => [d, ...channels.flatMap((c) => [c.spend[i], c.contribution[i]])])] }} />}
          </Card>
          <div className="grid grid-main-side">
            <Card title="Flights" subtitle={`${rows.length} flights. Contribution during a flight counts its ${cm.periodUnit}s only (the carry-over after it is not included).`}>
              <div className="table-wrap" style={{ maxHeight: 420 }}>
                <table className="table small" aria-label="Flights">
                  <thead>
                    <tr>
                      <th>Channel</th>
                      <th>From</th>
                      <th>To</th>
                      <th className="num">{humanize(`${cm.periodUnit}s`)}</th>
                      <th className="num">Spend</th>
                      <th className="num">Contribution during</th>
                      <th className="num">Ratio</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((r, i) => (
                      <tr key={i}>
                        <td>
                          <span className="slider-swatch" style={{ background: r.color, display: "inline-block", marginRight: 8 }} />
                          {r.channel}
                        </td>
                        <td>{formatDate(r.start)}</td>
                        <td>{formatDate(r.end)}</td>
                        <td className="num">{r.periods}</td>
                        <td className="num">{formatCurrency(r.spend, units.currency)}</td>
                        <td className="num">{formatKpi(r.contrib, units)}</td>
                        <td className="num">{units.kpiKind === "revenue" ? formatRatio(r.spend > 0 ? r.contrib / r.spend : null) : "—"}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </Card>
            <Card tinted title="Not shown without data" subtitle="What the sketch had that this data cannot support.">
              <ul className="small" style={{ margin: 0, paddingLeft: 18 }}>
                <li>
                  <strong>Channel-sequence effects</strong>: need user-level paths and a model of sequences; none is connected, so nothing is shown. Campaigns, creatives, the
                  consistency score and tag performance come from the campaign calendar below.
                </li>
              </ul>
            </Card>
          </div>
          <CampaignSection modelId={cm.modelId} units={units} channels={channels.map((c) => c.name)} />
        </div>
      )}
    </>
  );
}
