"""Fixtures of the export tests: the CLI run in-process (shared with tests/cli)."""

from tests.cli.conftest import run_cli

__all__ = ["run_cli"]
