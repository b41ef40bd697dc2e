import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/react";
import type { Summary } from "../api/hooks/models";
import type { Units } from "../lib/format";
import { SynergiesCard } from "./SynergiesCard";

const units = { kpiName: "revenue" } as Units;
const iv = (lo: number, median: number, hi: number) => ({ mean: median, median, lo, hi });

function summary(interactions: Summary["interactions"]): Summary {
  return { interval: 0.9, interval_kind: "posterior", interactions } as Summary;
}

describe("SynergiesCard", () => {
  it("states a synergy only where its interval excludes zero", () => {
    render(
      <SynergiesCard
        summary={summary({
          "TV + Social Media": { ...iv(0.018, 0.041, 0.071), channels: ["TV", "Social Media"], contribution: iv(1, 2, 3), lift: iv(0.066, 0.183, 0.391) },
          "TV + Print": { ...iv(-0.03, -0.005, 0.015), channels: ["TV", "Print"], contribution: iv(-1, 0, 1), lift: iv(-0.12, -0.02, 0.08) },
        })}
        units={units}
      />,
    );
    const items = screen.getAllByTestId("synergy");
    expect(items[0]).toHaveTextContent("TV + Social Media: +18.3% revenue versus the two alone");
    expect(items[0]).toHaveTextContent("90% credible interval +6.6% to +39.1%");
    expect(items[1]).toHaveTextContent("TV + Print: no evidence of synergy");
    expect(items[1]).not.toHaveTextContent("versus the two alone");
  });

  it("says the model is additive when it has no pairs", () => {
    render(<SynergiesCard summary={summary({})} units={units} />);
    expect(screen.getByTestId("synergies")).toHaveTextContent("no synergy terms");
    expect(screen.queryByTestId("synergy")).toBeNull();
  });
});
