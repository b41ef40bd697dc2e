"""Connectors and schedules (``mixwise connect ...``, ``mixwise schedule ...``): each command
calls the service use case the API calls, in a workspace, as the operator. Secrets are given as
``--secret NAME=VALUE`` (or typed at a hidden prompt with ``--secret NAME``) and never printed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from mixwise.cli.base import app, console
from mixwise.cli.output import print_findings, request
from mixwise.errors import MixwiseError

if TYPE_CHECKING:
    from mixwise.store import Store

connect_app = typer.Typer(
    help="Ad platforms, analytics and warehouse sources.", no_args_is_help=True
)
schedule_app = typer.Typer(help="Scheduled refreshes of a workspace's model.", no_args_is_help=True)
app.add_typer(connect_app, name="connect")
app.add_typer(schedule_app, name="schedule")

WorkspaceOpt = Annotated[str, typer.Option("--workspace", "-w", help="Workspace name.")]


def _pairs(values: list[str], what: str, secret: bool = False) -> dict[str, str]:
    out = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not key:
            raise MixwiseError(f"--{what} '{item}' has no name", f"Write --{what} NAME=VALUE.")
        if not sep:
            if not secret:
                raise MixwiseError(f"--{what} {key} has no value", f"Write --{what} {key}=VALUE.")
            value = typer.prompt(key, hide_input=True)
        out[key] = value
    return out


def _ws(workspace: str) -> tuple[Store, str]:
    from mixwise.service import workspaces
    from mixwise.store import open_store

    store = open_store()
    return store, workspaces.operator(store, workspace).workspace_id


@connect_app.command("keygen")
def keygen() -> None:
    """Print a new MIXWISE_SECRET_KEY (connector secrets are encrypted with it)."""
    from mixwise.service.credentials import new_key

    console.print(new_key(), markup=False, highlight=False)


@connect_app.command("kinds")
def kinds() -> None:
    """The kinds of source, their settings and secrets, and the client that reads each."""
    from mixwise.data.connectors import SOURCES

    table = Table("kind", "source", "settings", "secrets", "client")
    for k in SOURCES.values():
        table.add_row(k.name, k.label, ", ".join(k.settings), ", ".join(k.secrets), k.client)
    console.print(table)


@connect_app.command("add")
def add(
    kind: Annotated[str, typer.Argument(help="google_ads, meta_ads, ga4 or warehouse.")],
    workspace: WorkspaceOpt,
    name: Annotated[str, typer.Option("--name", help="A name for this connector.")],
    setting: Annotated[list[str], typer.Option("--setting", "-s", help="NAME=VALUE")] = [],  # noqa: B006
    secret: Annotated[
        list[str], typer.Option("--secret", help="NAME=VALUE, or NAME to type it hidden")
    ] = [],  # noqa: B006
    lookback_days: Annotated[int, typer.Option(help="Days re-read each sync.")] = 7,
    replace: Annotated[bool, typer.Option(help="Replace a connector of this name.")] = False,
) -> None:
    """Add a connector; its secrets are stored encrypted (MIXWISE_SECRET_KEY)."""
    from mixwise.service import connectors
    from mixwise.service.schemas.connectors import ConnectorIn

    store, ws = _ws(workspace)
    body = request(
        ConnectorIn,
        name=name,
        kind=kind,
        settings=_pairs(setting, "setting"),
        secrets=_pairs(secret, "secret", secret=True),
        lookback_days=lookback_days,
        replace=replace,
    )
    out = connectors.add(store, ws, body)
    console.print(f"Connector {out.name} ({out.label}) stored; its secrets are encrypted.")


@connect_app.command("list")
def list_(workspace: WorkspaceOpt) -> None:
    """The workspace's connectors and their last sync (secrets are never shown)."""
    from mixwise.service import connectors

    store, ws = _ws(workspace)
    table = Table("name", "kind", "last day", "last sync (UTC)", "status", "error")
    for c in connectors.list_connectors(store, ws):
        table.add_row(
            c.name,
            c.kind,
            str(c.last_day or "-"),
            str(c.last_sync_at or "-"),
            c.last_status or "never synced",
            c.last_error or "",
        )
    console.print(table)


@connect_app.command("remove")
def remove(name: str, workspace: WorkspaceOpt) -> None:
    """Remove a connector, its secrets and its landed rows."""
    from mixwise.service import connectors

    store, ws = _ws(workspace)
    connectors.remove(store, ws, name)
    console.print(f"Connector {name} removed.")


@connect_app.command("sync")
def sync(name: str, workspace: WorkspaceOpt) -> None:
    """Sync one connector now: new days plus the lookback, then the findings."""
    from mixwise.service import connectors

    store, ws = _ws(workspace)
    out, findings = connectors.sync(store, ws, name)
    if out.start is None:
        console.print(f"{out.connector}: up to date ({out.landed_rows} rows landed).")
    else:
        console.print(
            f"{out.connector}: {out.fetched_rows} rows for {out.start}..{out.end}; "
            f"{out.landed_rows} rows landed."
        )
    print_findings(findings)


@connect_app.command("export")
def export(
    workspace: WorkspaceOpt,
    out: Annotated[Path, typer.Option("--out", "-o", help="A .parquet or .csv file.")],
    mapping: Annotated[
        Path | None, typer.Option(help="Also write the proposed mapping (YAML) to review.")
    ] = None,
) -> None:
    """Write every connector's landed rows (Fivetran ad_reporting columns) to a file, to fit
    a first model on (mapping: source.format fivetran_ad_reporting)."""
    from mixwise.service import connectors

    store, ws = _ws(workspace)
    rows = connectors.workspace_rows(store, ws)
    if out.suffix == ".csv":
        rows.to_csv(out, index=False)
    else:
        rows.to_parquet(out, index=False)
    console.print(f"{len(rows)} rows written to {out}.")
    if mapping is not None:
        from mixwise.files import write_text_atomic

        write_text_atomic(mapping, connectors.proposed_mapping(store, ws))
        console.print(f"Proposed mapping written to {mapping}: review it before fitting.")


@schedule_app.command("add")
def schedule_add(
    name: str,
    workspace: WorkspaceOpt,
    cron: Annotated[str, typer.Option(help="daily, weekly or a cron expression (UTC).")] = "daily",
    model: Annotated[str | None, typer.Option(help="Model id (default: the newest).")] = None,
) -> None:
    """Refresh the workspace's model on a schedule: sync -> validate -> refit -> compare."""
    from mixwise.service import schedules
    from mixwise.service.schemas.connectors import ScheduleIn

    store, ws = _ws(workspace)
    body = request(ScheduleIn, name=name, cron=cron, model_id=model)
    out = schedules.create(store, ws, body)
    console.print(
        f"Schedule {out.name} ({out.cron}) keeps {out.model_id} current; next run "
        f"{out.next_run_at:%Y-%m-%d %H:%M} UTC."
    )


@schedule_app.command("list")
def schedule_list(workspace: WorkspaceOpt, logs: bool = False) -> None:
    """Schedules and their last runs (with --logs, each run's log)."""
    from mixwise.service import schedules

    store, ws = _ws(workspace)
    for sch in schedules.list_schedules(store, ws):
        console.print(
            f"[bold]{sch.name}[/] {sch.cron} model {sch.model_id} next {sch.next_run_at or '-'}"
        )
        for run in sch.runs:
            console.print(
                f"  {run.created_at:%Y-%m-%d %H:%M} {run.status} at {run.step}"
                + (f": {run.error}" if run.error else "")
            )
            for line in run.log if logs else []:
                console.print(f"    {line}", markup=False)


@schedule_app.command("run")
def schedule_run(name: str, workspace: WorkspaceOpt) -> None:
    """Queue a run of the schedule now (a worker runs it: mixwise serve or mixwise worker)."""
    from mixwise.service import schedules

    store, ws = _ws(workspace)
    run = schedules.run_now(store, ws, name)
    console.print(f"Run {run.id} queued (job {run.job_id}).")


@schedule_app.command("remove")
def schedule_remove(name: str, workspace: WorkspaceOpt) -> None:
    """Remove a schedule (its models stay)."""
    from mixwise.service import schedules

    store, ws = _ws(workspace)
    schedules.remove(store, ws, name)
    console.print(f"Schedule {name} removed.")


@schedule_app.command("tick")
def schedule_tick() -> None:
    """Queue every schedule that is due (run it from the system's cron every few minutes)."""
    from mixwise.service import schedules
    from mixwise.store import open_store

    started = schedules.tick(open_store())
    console.print(f"{len(started)} run(s) queued.")
