import type { ReactNode } from "react";

export interface CardProps {
  title?: ReactNode;
  subtitle?: ReactNode;
  actions?: ReactNode;
  tinted?: boolean;
  className?: string;
  children?: ReactNode;
  /** Accessible name of the region when the title is not plain text. */
  label?: string;
  testId?: string;
}

/** White card with rounded corners and a subtle shadow: the unit every screen is built from. */
export function Card({ title, subtitle, actions, tinted, className, children, label, testId }: CardProps) {
  const cls = ["card", tinted ? "card-tinted" : "", className ?? ""].filter(Boolean).join(" ");
  return (
    <section className={cls} aria-label={label ?? (typeof title === "string" ? title : undefined)} data-testid={testId}>
      {(title || actions) && (
        <div className="card-head">
          <div>
            {title && <h2>{title}</h2>}
            {subtitle && <p>{subtitle}</p>}
          </div>
          {actions && <div className="row">{actions}</div>}
        </div>
      )}
      {children}
    </section>
  );
}
