import { formatCurrency, formatPercent, humanize, type Units } from "../lib/format";
import { isOver, totalPercent, type Shares } from "../lib/allocation";
import { Slider } from "./Slider";

export interface ChannelAllocationProps {
  channels: { name: string; color: string }[];
  /** Percent of the total budget per channel. */
  shares: Shares;
  /** Total budget in currency over the planning period. */
  budget: number;
  units: Units;
  onChange: (channel: string, percent: number) => void;
  /** Highest value a slider goes to (percent). */
  max?: number;
  disabled?: boolean;
  /** Show currency amounts next to the percentages (off for credit weights, which are not money). */
  showAmounts?: boolean;
}

/**
 * One slider per channel (percentage and amount), the total, and a red warning when the total
 * passes 100%.
 */
export function ChannelAllocation({ channels, shares, budget, units, onChange, max = 100, disabled, showAmounts = true }: ChannelAllocationProps) {
  const total = totalPercent(shares);
  const over = isOver(shares);
  return (
    <div className="stack" style={{ gap: 4 }}>
      {channels.map((c) => {
        const v = shares[c.name] ?? 0;
        return (
          <Slider
            key={c.name}
            label={humanize(c.name)}
            value={v}
            min={0}
            max={max}
            step={0.5}
            color={c.color}
            valueText={formatPercent(v / 100)}
            detail={showAmounts ? formatCurrency((v / 100) * budget, units.currency) : undefined}
            onChange={(x) => onChange(c.name, x)}
            disabled={disabled}
          />
        );
      })}
      <div className={`total-bar${over ? " over" : ""}`} data-testid="allocation-total">
        <span>Total</span>
        <span>
          {formatPercent(total / 100)}
          {showAmounts && ` · ${formatCurrency((total / 100) * budget, units.currency)} of ${formatCurrency(budget, units.currency)}`}
        </span>
      </div>
      {over && (
        <div className="alert alert-error" role="alert" data-testid="over-budget-warning">
          <span aria-hidden>⚠</span>
          <span>
            {showAmounts ? (
              <>
                The channels add up to <strong>{formatPercent(total / 100)}</strong> of the budget, {formatPercent((total - 100) / 100)} more than there is. The metrics below are for the
                larger spend ({formatCurrency((total / 100) * budget, units.currency)}); lower a channel or use “Recommended Allocation”.
              </>
            ) : (
              <>
                The weights add up to <strong>{formatPercent(total / 100)}</strong>, more than 100%: lower a channel.
              </>
            )}
          </span>
        </div>
      )}
    </div>
  );
}
