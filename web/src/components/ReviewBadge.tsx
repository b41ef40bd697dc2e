import type { Summary } from "../api/hooks/models";

type Verdict = NonNullable<Summary["review"]>["verdict"];

const LABEL: Record<Verdict, string> = { pass: "Review: passed", warn: "Review: use with care", fail: "Review: failed" };
const STYLE: Record<Verdict, string> = { pass: "badge-good", warn: "badge-warn", fail: "badge-bad" };

/**
 * The model reviewer's verdict of the model whose numbers are on screen (summary.json's `review`):
 * a badge in the top bar and in every screen header that shows the model, so a model that failed a
 * check is marked wherever its numbers appear. The tooltip lists the checks that did not pass and
 * what to do. Nothing while the summary loads; "Not reviewed" for fits made before the reviewer.
 */
export function ReviewBadge({ summary }: { summary: Summary | undefined }) {
  if (!summary) return null;
  const review = summary.review;
  if (!review) {
    return (
      <span className="badge" data-testid="review-badge" title="This model was fitted before the model reviewer existed: refit it to review it.">
        Not reviewed
      </span>
    );
  }
  const open = review.checks.filter((c) => c.status !== "pass");
  const title = [review.message, ...open.map((c) => `${c.name} (${c.status}): ${c.message}`)].join("\n");
  return (
    <span className={`badge ${STYLE[review.verdict]}`} data-testid="review-badge" data-verdict={review.verdict} title={title} aria-label={`Model review: ${review.verdict}. ${review.message}`}>
      {review.verdict === "pass" ? "✓" : "⚠"} {LABEL[review.verdict]}
    </span>
  );
}

/** The checks of the review that did not pass, each with what to do (the Models screen). */
export function ReviewChecks({ summary }: { summary: Summary | undefined }) {
  const open = summary?.review?.checks.filter((c) => c.status !== "pass") ?? [];
  if (open.length === 0) return null;
  return (
    <ul className="small" data-testid="review-checks" style={{ margin: "8px 0", paddingLeft: 18 }}>
      {open.map((c) => (
        <li key={c.name}>
          <strong>
            {c.name} ({c.status})
          </strong>
          : {c.message}
        </li>
      ))}
    </ul>
  );
}
