"""Operator commands: users and roles, plan tiers, credits, usage and the audit log
(``mixwise admin ...``). Each calls the service use case the API calls, as the operator (an
owner of every workspace, recorded as ``operator`` in the audit log)."""

from __future__ import annotations

import logging
import sys
from typing import Annotated

import typer
from rich.table import Table

from mixwise.cli.base import app, console
from mixwise.service import audit, billing, users, workspaces
from mixwise.service.access import ROLES
from mixwise.service.schemas.accounts import CreditsOut, PlanOut
from mixwise.store import open_store

admin_app = typer.Typer(
    help="Operators: users, tiers, credits, usage, audit, benchmarks.", no_args_is_help=True
)
users_app = typer.Typer(help="People and their roles.", no_args_is_help=True)
admin_app.add_typer(users_app, name="users")
app.add_typer(admin_app, name="admin")

Workspace = Annotated[str, typer.Argument(help="Workspace name.")]


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Argument(help="The person's email address.")],
    workspace: Annotated[
        str, typer.Option("--workspace", "-w", help="Workspace (created if new).")
    ],
    role: Annotated[str, typer.Option("--role", "-r", help=f"One of: {', '.join(ROLES)}.")],
    password_stdin: Annotated[
        bool,
        typer.Option("--password-stdin", help="Read the password from stdin (else: invite)."),
    ] = False,
) -> None:
    """Create a user (or change their role) in WORKSPACE. Without --password-stdin an
    invitation link is mailed (the default mailer writes it to the log, shown here)."""
    store = open_store()
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    _show_mail()
    workspaces.ensure_workspace(store, workspace)
    member = users.add_member(
        store, workspaces.operator(store, workspace), email, role, password, source="cli"
    )
    console.print(f"{member.email} is {member.role} in {workspace} (user {member.user_id}).")


@admin_app.command("tier")
def tier(
    workspace: Workspace,
    name: Annotated[str, typer.Argument(help="payg, essential, professional, advanced or none.")],
) -> None:
    """Put WORKSPACE on a plan tier ('none': unmetered, no tier or credit checks)."""
    store = open_store()
    out = billing.set_tier(
        store, workspaces.operator(store, workspace), None if name == "none" else name, "cli"
    )
    _print_plan(workspace, out)


@admin_app.command("credits")
def credits(
    workspace: Workspace,
    grant: Annotated[int | None, typer.Option(help="Add N credits (a grant entry).")] = None,
    set_to: Annotated[
        int | None, typer.Option("--set", help="Bring the balance to N (an adjustment entry).")
    ] = None,
    purchase: Annotated[
        int | None, typer.Option(help="Record N credits bought outside mixwise.")
    ] = None,
    reference: Annotated[str, typer.Option(help="The purchase's reference (invoice).")] = "",
) -> None:
    """Show WORKSPACE's balance and recent entries, after a grant, purchase or --set if given."""
    store = open_store()
    by = workspaces.operator(store, workspace)
    if sum(x is not None for x in (grant, set_to, purchase)) > 1:
        raise typer.BadParameter("give one of --grant, --set, --purchase")
    if grant is not None:
        out = billing.add_credits(store, by, "grant", grant, "granted by the operator", "cli")
    elif set_to is not None:
        out = billing.set_balance(store, by, set_to, "cli")
    elif purchase is not None:
        out = billing.ManualPurchases().purchase(store, by, purchase, reference)
    else:
        out = billing.credits(store, by.workspace_id)
    _print_credits(workspace, out)


@admin_app.command("usage")
def usage(workspace: Workspace) -> None:
    """Credits used per feature per month (net of refunds)."""
    store = open_store()
    out = billing.usage(store, workspaces.operator(store, workspace).workspace_id)
    table = Table("month", "feature", "uses", "credits", title=f"Usage of {workspace}")
    for r in out.items:
        table.add_row(r.month, r.feature, str(r.uses), str(r.credits))
    console.print(table if out.items else f"No credits used in {workspace} yet.")


@admin_app.command("audit")
def audit_log(
    workspace: Workspace,
    limit: Annotated[int, typer.Option(help="How many entries, newest first.")] = 50,
) -> None:
    """The audit log of WORKSPACE: who changed what, when, from where."""
    store = open_store()
    rows = audit.entries(store, workspaces.operator(store, workspace).workspace_id, limit)
    table = Table("when (UTC)", "who", "what", "target", "from", title=f"Audit of {workspace}")
    for r in rows:
        table.add_row(f"{r.at:%Y-%m-%d %H:%M:%S}", r.actor, r.action, r.target, r.source)
    console.print(table)


def _print_plan(workspace: str, out: PlanOut) -> None:
    console.print(f"{workspace}: tier {out.tier_label or 'none (unmetered)'}")
    for f in out.features:
        mark = "included" if f.included else "locked"
        console.print(f"  {f.label:<24} {f.credits:>4} credits  {mark}", highlight=False)


def _print_credits(workspace: str, out: CreditsOut) -> None:
    metered = "" if out.metered else " (unmetered: no charges)"
    console.print(f"{workspace}: balance [bold]{out.balance}[/] credits{metered}")
    for e in out.entries[:10]:
        console.print(
            f"  {e.created_at:%Y-%m-%d %H:%M} {e.kind:<10} {e.amount:>+6} {e.feature or ''} "
            f"{e.note}",
            highlight=False,
        )


def _show_mail() -> None:
    """The default mailer writes to the ``mixwise.mail`` log: show it to the operator."""
    log = logging.getLogger("mixwise.mail")
    if not log.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)


benchmarks_app = typer.Typer(
    help="Industry benchmarks: published figures the overview compares models with.",
    no_args_is_help=True,
)
admin_app.add_typer(benchmarks_app, name="benchmarks")


@benchmarks_app.command("load")
def benchmarks_load(
    file: Annotated[
        str,
        typer.Argument(
            help="CSV/Excel/Parquet: metric, industry, region, "
            "period, value, source, date [, channel]."
        ),
    ],
    replace: Annotated[
        bool, typer.Option("--replace", help="Delete the installation's rows first.")
    ] = False,
) -> None:
    """Load published benchmarks for every workspace (see docs/campaigns.md, "Benchmarks").

    Example: mixwise admin benchmarks load benchmarks.csv --replace
    """
    from mixwise.service.benchmarks import load_file

    out = load_file(open_store(), file, replace=replace)
    console.print(f"Loaded {out.loaded} benchmark rows ({out.replaced} replaced).")


@benchmarks_app.command("list")
def benchmarks_list(
    industry: Annotated[str | None, typer.Option(help="Only this industry.")] = None,
    region: Annotated[str | None, typer.Option(help="Only this region.")] = None,
) -> None:
    """The installation's benchmarks, with their sources and dates."""
    from mixwise.service.benchmarks import list_benchmarks

    rows = list_benchmarks(open_store(), None, industry, region)
    if not rows:
        console.print("No benchmarks loaded (mixwise admin benchmarks load FILE).")
        return
    table = Table(header_style="bold")
    for name in ("#", "metric", "industry", "region", "period", "channel", "value"):
        table.add_column(name)
    for b in rows:
        table.add_row(
            str(b.id),
            b.metric,
            b.industry,
            b.region,
            b.period,
            b.channel or "all media",
            f"{b.value:g}",
        )
    console.print(table)
    for b in rows:
        console.print(f"#{b.id} source: {b.source} ({b.date})", highlight=False, soft_wrap=True)
