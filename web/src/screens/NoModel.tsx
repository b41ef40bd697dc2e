import { Link } from "react-router-dom";
import type { Model } from "../api/hooks/models";
import { Card } from "../components/Card";
import { EmptyState, ErrorState, Loading } from "../components/States";
import { formatPercent } from "../lib/format";

/** What a model screen shows before there is a fitted model: why, and how to get one. */
export function NoModel({ title, pending, error, models }: { title: string; pending: boolean; error: unknown; models: Model[] }) {
  const running = models.find((m) => m.status === "running" || m.status === "queued");
  return (
    <>
      <div className="page-head">
        <h1>{title}</h1>
      </div>
      <Card>
        {pending ? (
          <Loading what="Loading models" />
        ) : error ? (
          <ErrorState error={error} />
        ) : running ? (
          <EmptyState title="A model is being fitted" icon="◔" action={<Link className="btn" to="/models">Follow the fit</Link>}>
            “{running.name}” is {running.status}
            {running.job ? ` (${formatPercent(running.job.fraction, 0)})` : ""}. This screen fills in when it finishes.
          </EmptyState>
        ) : (
          <EmptyState title="No fitted model yet" action={<Link className="btn" to={models.length ? "/models" : "/data"}>{models.length ? "Fit a model" : "Upload data"}</Link>}>
            This screen shows what a fitted model says. Upload data on the Data screen, then start a fit on the Models screen.
          </EmptyState>
        )}
      </Card>
    </>
  );
}
