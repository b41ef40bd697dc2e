import type { Summary } from "../api/hooks/models";
import { Card } from "./Card";
import { formatPercent, intervalName, type Units } from "../lib/format";

/** The colour of a synergy pair's layer or flow in charts (not a channel's colour). */
export const SYNERGY_COLOR = "#6b7280";

type Synergy = NonNullable<Summary["interactions"]>[string];

/** "+12.3%" / "−4.0%": a relative change of the KPI, signed. */
function signedPercent(x: number): string {
  return `${x >= 0 ? "+" : "−"}${formatPercent(Math.abs(x))}`;
}

/** One pair's sentence: the lift versus the two channels alone where its interval excludes zero
 * (synergy above, cannibalisation below), otherwise "no evidence of synergy". */
export function synergyText(name: string, s: Synergy, kpiName: string): string {
  const { lo, hi, median } = s.lift;
  if (lo != null && hi != null && median != null && (lo > 0 || hi < 0)) {
    return `${name}: ${signedPercent(median)} ${kpiName} versus the two alone`;
  }
  return `${name}: no evidence of synergy`;
}

/** The Overview's "Synergies" list: each channel pair the model was fitted with (spec
 * `interactions`), with its interval; pairs whose interval includes zero say so instead of a number. */
export function SynergiesCard({ summary, units }: { summary: Summary; units: Units }) {
  const pairs = Object.entries(summary.interactions ?? {});
  const level = intervalName(summary.interval, summary.interval_kind);
  return (
    <Card
      title="Synergies"
      subtitle={`What each channel pair adds to ${units.kpiName} beyond the two channels alone (the model's interaction term), with its ${level}.`}
      testId="synergies"
    >
      {pairs.length === 0 ? (
        <p className="small muted" style={{ margin: 0 }}>
          This model has no synergy terms: it is additive across channels. Fit with <code>interactions: [[TV, Social Media]]</code> in the model spec to estimate one.
        </p>
      ) : (
        <ul style={{ margin: 0, paddingLeft: 18 }}>
          {pairs.map(([name, s]) => (
            <li key={name} data-testid="synergy">
              {synergyText(name, s, units.kpiName)}
              {s.lift.lo != null && s.lift.hi != null && (
                <div className="muted small">
                  {level} {signedPercent(s.lift.lo)} to {signedPercent(s.lift.hi)}; {formatPercent(s.median)} of {units.kpiName} (
                  {formatPercent(s.lo)} to {formatPercent(s.hi)})
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
