"""Run the CLI in-process, the way the console script does, and capture what a user sees."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from mixwise.cli.app import main


@dataclass
class CliRun:
    exit_code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):
    def _run(*args: str) -> CliRun:
        with pytest.raises(SystemExit) as exc:
            main(list(args))
        captured = capsys.readouterr()
        code = exc.value.code if isinstance(exc.value.code, int) else 1
        return CliRun(code, captured.out, captured.err)

    return _run
