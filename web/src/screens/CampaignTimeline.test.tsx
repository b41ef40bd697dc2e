import { describe, expect, it } from "vitest";
import { render, screen, within } from "@testing-library/react";
import { LaunchTimeline, markers } from "./CampaignTimeline";
import type { Timeline } from "../api/hooks/timeline";
import { DEFAULT_UNITS } from "../lib/format";

const iv = (mean: number, lo: number, hi: number) => ({ mean, median: mean, lo, hi });
const flight = (row: number, campaign: string, channel: string, start: string, end: string, type: string, tags: string[], roas: ReturnType<typeof iv> | null) => ({
  row,
  campaign,
  channel,
  start,
  end,
  creative: `${campaign} ${channel}`,
  creative_type: type,
  tags,
  segment: "",
  spend: null,
  periods: [0, 1],
  spend_in_model: 1000,
  contribution_during: iv(1500, 1000, 2000),
  contribution_after: iv(500, 300, 700),
  contribution: iv(2000, 1400, 2600),
  roas,
  why_no_roas: roas ? null : "no spend in the data during the flight",
});

const timeline: Timeline = {
  model_id: "m1",
  interval: 0.9,
  kpi_type: "revenue",
  carry_over_periods: 7,
  method: "Counterfactual per draw.",
  flights: [
    flight(2, "Spring", "Social", "2024-01-15", "2024-01-28", "Social Carousel", ["launch"], iv(2, 1.4, 2.6)),
    flight(1, "Spring", "TV", "2024-01-01", "2024-01-28", "TV Ad", ["launch", "brand"], iv(1.5, 1.1, 1.9)),
    flight(3, "Summer", "TV", "2024-03-01", "2024-03-10", "TV Ad", [], null),
  ],
  consistency: {
    definition: "Share of a campaign's active days on which all its planned channels are live.",
    window_days: 30,
    current: { start: "2024-02-10", end: "2024-03-10", consistent_days: 10, active_days: 10, score: 1 },
    previous: { start: "2024-01-11", end: "2024-02-09", consistent_days: 14, active_days: 18, score: 14 / 18 },
    change: 1 - 14 / 18,
  },
  tags: [
    { tag: "brand", flights: 1, spend: 1000, per_spend: null, why: "1 flight(s) with spend in the data carry #brand; at least 3 are needed" },
    { tag: "launch", flights: 3, spend: 3000, per_spend: iv(1.8, 1.2, 2.4), why: null },
  ],
  min_tag_flights: 3,
  findings: [{ code: "calendar_outside_data", severity: "warning", column: "start", rows: [3], message: "flights run outside the data (row 3)", hint: "" }],
};

describe("LaunchTimeline", () => {
  it("draws a node per launch in date order with its channel label, and date markers", () => {
    render(<LaunchTimeline timeline={timeline} units={DEFAULT_UNITS} channels={["TV", "Social"]} />);
    const nodes = screen.getAllByTestId("launch-node");
    expect(nodes.map((n) => n.textContent)).toEqual([expect.stringContaining("TV Ad"), expect.stringContaining("Social Carousel"), expect.stringContaining("TV Ad")]);
    expect(nodes[0].style.left).toBe("0%");
    // the axis runs from the first start (Jan 1) to the last end (Mar 10, 69 days); Mar 1 is day 60
    expect(parseFloat(nodes[2].style.left)).toBeCloseTo((100 * 60) / 69, 6);
    expect(screen.getAllByTestId("date-marker").length).toBeGreaterThanOrEqual(5);
  });

  it("shows each flight's contribution and ROAS with intervals, and says why a ROAS is missing", () => {
    render(<LaunchTimeline timeline={timeline} units={DEFAULT_UNITS} channels={["TV", "Social"]} />);
    const tv = screen.getByRole("article", { name: "Spring: Spring TV" });
    expect(tv.textContent).toContain("carry-over included");
    expect(tv.textContent).toContain("1.50x");
    expect(tv.textContent).toMatch(/90% interval 1\.10x to 1\.90x/);
    const summer = screen.getByRole("article", { name: "Summer: Summer TV" });
    expect(summer.textContent).toContain("not shown: no spend in the data during the flight");
  });

  it("shows the consistency score with its definition and change, and the tag table with reasons", () => {
    render(<LaunchTimeline timeline={timeline} units={DEFAULT_UNITS} channels={["TV", "Social"]} />);
    expect(screen.getByTestId("consistency-score").textContent).toBe("100%");
    expect(screen.getByText(timeline.consistency.definition)).toBeTruthy();
    expect(screen.getByText(/\+22 points vs the previous 30 days/)).toBeTruthy();
    const tags = within(screen.getByRole("table", { name: "Tags" }));
    expect(tags.getByText(/at least 3 are needed/)).toBeTruthy();
    expect(tags.getByText(/90% interval 1\.20x to 2\.40x/)).toBeTruthy();
    expect(screen.getByText(/calendar_outside_data/)).toBeTruthy();
  });

  it("spaces date markers evenly from start to end", () => {
    expect(markers("2024-01-01", "2024-01-31", 3)).toEqual(["2024-01-01", "2024-01-11", "2024-01-21", "2024-01-31"]);
  });
});
