"""The ``mixwise`` command line (Typer + Rich). See ``mixwise --help``."""

from mixwise.cli.app import main as app

__all__ = ["app"]
