"""Service commands: serve (API + workers), worker, keys."""

from __future__ import annotations

from typing import Annotated

import typer

from mixwise.cli.base import app, console
from mixwise.service.jobs import run_worker
from mixwise.service.workspaces import create_key, revoke_keys
from mixwise.store import open_store

keys_app = typer.Typer(help="API keys (one workspace per key).", no_args_is_help=True)
app.add_typer(keys_app, name="keys")


@keys_app.command("create")
def keys_create(
    workspace: Annotated[str, typer.Argument(help="Workspace name (created if needed).")],
    role: Annotated[str, typer.Option(help="viewer, analyst, admin or owner.")] = "owner",
    name: Annotated[str, typer.Option(help="A name to tell the key apart.")] = "operator",
    expires_days: Annotated[
        int | None, typer.Option(help="Days until the key expires (default: never).", min=1)
    ] = None,
) -> None:
    """Create an operator API key for WORKSPACE (no user; owner unless --role). The key is the
    last line of the output (shown once). People make their own keys: POST /api/v1/keys.

    Example: KEY=$(mixwise keys create acme | tail -n 1)
    """

    ws, key = create_key(open_store(), workspace, role, name, expires_days)
    console.print(
        f"Workspace [bold]{ws.name}[/] ({ws.id}). New API key (store it now; only "
        "its hash is kept):",
        highlight=False,
    )
    print(key)


@keys_app.command("revoke")
def keys_revoke(workspace: Annotated[str, typer.Argument(help="Workspace name.")]) -> None:
    """Revoke every API key of WORKSPACE."""

    n = revoke_keys(open_store(), workspace)
    console.print(f"Revoked {n} key(s) of {workspace}.")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Local worker processes for fits.")] = 1,
    no_workers: Annotated[
        bool, typer.Option("--no-workers", help="Start no workers (run `mixwise worker`).")
    ] = False,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Do not open a browser.")
    ] = False,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo", help="Ensure a demo workspace with a fitted model (fitted on first start)."
        ),
    ] = False,
) -> None:
    """Run the REST API (docs at /api/docs) and the web app, with local workers for fits.

    Data lives under MIXWISE_HOME (default ~/.mixwise); MIXWISE_DATABASE_URL selects
    PostgreSQL. Example: mixwise serve --demo
    """
    from mixwise.api.server import serve as run  # uvicorn + FastAPI only when serving

    run(
        host=host,
        port=port,
        workers=0 if no_workers else workers,
        open_browser=not no_browser,
        demo=demo,
        say=lambda text: console.print(text, highlight=False, soft_wrap=True),
    )


@app.command()
def worker(
    max_jobs: Annotated[int | None, typer.Option(help="Stop after this many jobs.")] = None,
) -> None:
    """Run background jobs (fits) from the job table until stopped (Ctrl-C / SIGTERM).

    Run one or more next to `mixwise serve --no-workers`, on any machine that sees the same
    MIXWISE_DATABASE_URL and artifact directory (MIXWISE_ARTIFACTS).
    """
    ran = run_worker(max_jobs=max_jobs)
    console.print(f"Worker stopped after {ran} job(s).")
