import { describe, expect, it, vi } from "vitest";
import { render, screen, fireEvent } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { Slider } from "./Slider";
import { MetricCard } from "./MetricCard";
import { ChannelAllocation } from "./ChannelAllocation";
import { ErrorState, EmptyState } from "./States";
import { ApiError } from "../api/errors";
import { RadioGroup } from "./ModelSelector";

const units = { currency: "USD", kpiName: "sales", kpiKind: "revenue" as const };

describe("Slider", () => {
  // Arrow keys are native to input[type=range] (jsdom does not step them; Playwright checks keys).
  it("is labelled, says its value in words, and reports changes", async () => {
    const onChange = vi.fn();
    function Harness() {
      const [v, setV] = useState(40);
      return <Slider label="Social media" value={v} step={1} valueText={`${v}%`} detail="$4K" onChange={(x) => { setV(x); onChange(x); }} />;
    }
    render(<Harness />);
    const s = screen.getByRole("slider", { name: "Social media" });
    expect(s).toHaveAttribute("aria-valuetext", "40%, $4K");
    expect(s).toHaveAttribute("type", "range");
    fireEvent.change(s, { target: { value: "41" } });
    expect(onChange).toHaveBeenLastCalledWith(41);
    expect(s).toHaveAttribute("aria-valuetext", "41%, $4K");
  });
});

describe("MetricCard", () => {
  it("shows original vs current with a green delta when better", () => {
    render(<MetricCard title="ROAS" original={2} current={2.5} kind="ratio" units={units} interval={{ lo: 2.1, hi: 2.9 }} />);
    expect(screen.getByTestId("metric-original")).toHaveTextContent("2.00x");
    expect(screen.getByTestId("metric-current")).toHaveTextContent("2.50x");
    const badge = screen.getByText(/\+0\.50x/).closest(".delta");
    expect(badge).toHaveAttribute("data-tone", "good");
    expect(screen.getByText("90% interval 2.10x to 2.90x")).toBeInTheDocument();
  });
  it("shows a lower CPA as good (green) and a higher one as bad (red)", () => {
    const { rerender } = render(<MetricCard title="CPA" original={20} current={18} kind="currency" units={units} higherIsBetter={false} />);
    expect(screen.getByText(/−\$2\.00/).closest(".delta")).toHaveAttribute("data-tone", "good");
    rerender(<MetricCard title="CPA" original={20} current={22} kind="currency" units={units} higherIsBetter={false} />);
    expect(screen.getByText(/\+\$2\.00/).closest(".delta")).toHaveAttribute("data-tone", "bad");
  });
});

describe("ChannelAllocation", () => {
  const channels = [
    { name: "tv", color: "#000" },
    { name: "paid_search", color: "#111" },
  ];
  it("shows percent and amount per channel and the total", () => {
    render(<ChannelAllocation channels={channels} shares={{ tv: 60, paid_search: 40 }} budget={100_000} units={units} onChange={() => {}} />);
    expect(screen.getByRole("slider", { name: "Paid search" })).toHaveAttribute("aria-valuetext", "40.0%, $40K");
    expect(screen.getByTestId("allocation-total")).toHaveTextContent("100.0%");
    expect(screen.queryByRole("alert")).toBeNull();
  });
  it("warns in red when the total passes 100%", () => {
    const onChange = vi.fn();
    render(<ChannelAllocation channels={channels} shares={{ tv: 70, paid_search: 40 }} budget={100_000} units={units} onChange={onChange} />);
    expect(screen.getByRole("alert")).toHaveTextContent("110.0%");
    fireEvent.change(screen.getByRole("slider", { name: "Tv" }), { target: { value: "50" } });
    expect(onChange).toHaveBeenCalledWith("tv", 50);
  });
});

describe("states", () => {
  it("shows a problem document's title, detail and hint", () => {
    const err = ApiError.fromBody(422, { title: "Unknown column", detail: "column 'spend_tv' is not in the file", hint: "Check the mapping", code: "mapping_unknown_column" });
    render(<ErrorState error={err} />);
    expect(screen.getByRole("alert")).toHaveTextContent("Unknown column");
    expect(screen.getByRole("alert")).toHaveTextContent("Hint: Check the mapping");
  });
  it("maps FastAPI validation errors to fields", () => {
    const err = ApiError.fromBody(422, { detail: [{ loc: ["body", "budget"], msg: "must be > 0" }] });
    expect(err.messageFor("budget")).toBe("must be > 0");
  });
  it("says what is missing in an empty state", () => {
    render(<EmptyState title="No model yet">Fit a model first.</EmptyState>);
    expect(screen.getByTestId("empty-state")).toHaveTextContent("Fit a model first.");
  });
  it("radio group selects with the keyboard", async () => {
    const onChange = vi.fn();
    render(<RadioGroup legend="Model" name="m" value="a" onChange={onChange} options={[{ id: "a", label: "A" }, { id: "b", label: "B" }]} />);
    await userEvent.click(screen.getByLabelText("B"));
    expect(onChange).toHaveBeenCalledWith("b");
  });
});
