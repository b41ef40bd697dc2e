import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/react";
import type { Summary } from "../api/hooks/models";
import { ReviewBadge, ReviewChecks } from "./ReviewBadge";

function summary(review: Summary["review"]): Summary {
  return { review } as Summary;
}

const failed: Summary["review"] = {
  verdict: "fail",
  message: "Not fit to decide with: convergence failed.",
  checks: [
    { name: "convergence", status: "fail", message: "Did not converge: raise tune.", numbers: { rhat_max: 1.05 } },
    { name: "baseline", status: "pass", message: "The baseline stays positive.", numbers: {} },
    { name: "roas_precision", status: "warn", message: "TV's interval is too wide.", numbers: {} },
  ],
  skipped: [],
};

describe("ReviewBadge", () => {
  it("marks a model that failed a check, with what to do in its tooltip", () => {
    render(<ReviewBadge summary={summary(failed)} />);
    const badge = screen.getByTestId("review-badge");
    expect(badge).toHaveTextContent("Review: failed");
    expect(badge.className).toContain("badge-bad");
    expect(badge.getAttribute("title")).toContain("convergence (fail): Did not converge: raise tune.");
    expect(badge.getAttribute("title")).not.toContain("baseline");
  });

  it("says passed, not reviewed, or nothing while loading", () => {
    const { rerender } = render(<ReviewBadge summary={summary({ ...failed!, verdict: "pass", checks: [] })} />);
    expect(screen.getByTestId("review-badge")).toHaveTextContent("Review: passed");
    rerender(<ReviewBadge summary={summary(null)} />);
    expect(screen.getByTestId("review-badge")).toHaveTextContent("Not reviewed");
    rerender(<ReviewBadge summary={undefined} />);
    expect(screen.queryByTestId("review-badge")).toBeNull();
  });

  it("lists the checks that did not pass", () => {
    render(<ReviewChecks summary={summary(failed)} />);
    const list = screen.getByTestId("review-checks");
    expect(list).toHaveTextContent("convergence (fail)");
    expect(list).toHaveTextContent("roas_precision (warn)");
    expect(list).not.toHaveTextContent("baseline");
  });
});
