import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/react";
import { MappingEditor } from "./MappingEditor";
import { FindingsList } from "./FindingsList";
import { Chart } from "./charts/Chart";
import { barsWithIntervals } from "./charts/options";

const columns = ["date", "revenue", "tv_spend", "search_spend", "price"];
const initial = { date: "date", kpi: { column: "revenue", type: "revenue" as const }, channels: [{ name: "tv", spend: "tv_spend" }], controls: [], organic: [], events: [] };

describe("MappingEditor", () => {
  it("edits channel names, adds a channel and a control, and saves the mapping as data", () => {
    const onSave = vi.fn();
    render(<MappingEditor columns={columns} initial={initial} initialYaml="date: date\n" notes={["date: parsed as ISO dates"]} onSave={onSave} />);
    expect(screen.getByRole("note")).toHaveTextContent("parsed as ISO dates");
    fireEvent.change(screen.getByLabelText("Channel 1 name"), { target: { value: "TV" } });
    fireEvent.click(screen.getByRole("button", { name: "+ Add channel" }));
    fireEvent.change(screen.getByLabelText("Channel 2 spend column"), { target: { value: "search_spend" } });
    fireEvent.change(screen.getByLabelText("Channel 2 name"), { target: { value: "Search" } });
    fireEvent.change(screen.getByLabelText("Add a column to Controls"), { target: { value: "price" } });
    fireEvent.click(screen.getByRole("button", { name: "Save mapping" }));
    const saved = onSave.mock.calls[0][0].mapping;
    expect(saved.channels).toEqual([
      { name: "TV", spend: "tv_spend" },
      { name: "Search", spend: "search_spend" },
    ]);
    expect(saved.controls).toEqual(["price"]);
    expect(saved.kpi).toEqual({ column: "revenue", type: "revenue" });
  });
  it("saves YAML text from the YAML tab", () => {
    const onSave = vi.fn();
    render(<MappingEditor columns={columns} initial={initial} initialYaml="date: date\n" onSave={onSave} />);
    fireEvent.click(screen.getByRole("tab", { name: "YAML" }));
    fireEvent.change(screen.getByLabelText("Mapping (YAML)"), { target: { value: "date: d\n" } });
    fireEvent.click(screen.getByRole("button", { name: "Save mapping" }));
    expect(onSave).toHaveBeenCalledWith({ yaml: "date: d\n" });
  });
  it("shows the server's message next to the field", () => {
    render(<MappingEditor columns={columns} initial={initial} initialYaml="" onSave={() => {}} fieldError={(f) => (f === "channels.0.spend" ? "column 'x' is not in the file" : undefined)} />);
    expect(screen.getByText("column 'x' is not in the file")).toBeInTheDocument();
  });
});

describe("FindingsList", () => {
  it("lists errors first with their code, hint and rows", () => {
    render(
      <FindingsList
        findings={[
          { code: "spend_negative", severity: "warning", column: "tv", rows: [3], message: "negative spend", hint: "check" },
          { code: "date_gap", severity: "error", column: null, rows: [1, 2], message: "a gap in the dates", hint: "fill it" },
        ]}
      />,
    );
    const items = within(screen.getByRole("list", { name: "Findings" })).getAllByRole("listitem");
    expect(items[0]).toHaveTextContent("a gap in the dates");
    expect(items[0]).toHaveTextContent("date_gap");
    expect(items[0]).toHaveTextContent("rows 1, 2");
    expect(items[1]).toHaveAttribute("data-severity", "warning");
  });
  it("says so when there are none", () => {
    render(<FindingsList findings={[]} />);
    expect(screen.getByText(/passed every check/)).toBeInTheDocument();
  });
});

describe("Chart", () => {
  it("renders an ECharts SVG with an accessible label", () => {
    const units = { currency: "USD", kpiName: "sales", kpiKind: "revenue" as const };
    const option = barsWithIntervals({ items: [{ name: "TV", value: 2, lo: 1, hi: 3, color: "#000" }], kind: "ratio", units, valueName: "ROAS" });
    render(<Chart option={option} height={200} ariaLabel="ROAS by channel" />);
    const fig = screen.getByRole("img", { name: "ROAS by channel" });
    expect(fig.querySelector("svg")).not.toBeNull();
  });
});
