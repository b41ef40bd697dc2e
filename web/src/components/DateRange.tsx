/** A From / To pair of date inputs bounded by the fitted periods, with "Whole period". Empty
 * strings mean "from the first" / "to the last" period. */
export function DateRange({ first, last, from, to, setFrom, setTo, label = "Date range" }: { first: string; last: string; from: string; to: string; setFrom: (s: string) => void; setTo: (s: string) => void; label?: string }) {
  return (
    <div className="date-range" role="group" aria-label={label}>
      <label className="field">
        <span>From</span>
        <input className="input" type="date" min={first} max={last} value={from || first} onChange={(e) => setFrom(e.target.value)} aria-label="From date" data-testid="range-from" />
      </label>
      <label className="field">
        <span>To</span>
        <input className="input" type="date" min={first} max={last} value={to || last} onChange={(e) => setTo(e.target.value)} aria-label="To date" data-testid="range-to" />
      </label>
      <button type="button" className="btn btn-sm btn-secondary" onClick={() => (setFrom(""), setTo(""))}>
        Whole period
      </button>
    </div>
  );
}
