"""Refusals before fitting, a missing environment, and a worker that dies."""

from __future__ import annotations

import os
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from mixwise.data.dataset import MMMDataset
from mixwise.engines.meridian import environment
from mixwise.engines.meridian.engine import MeridianEngine
from mixwise.errors import EngineFailed, EngineUnavailable
from mixwise.fitting import fit
from mixwise.model.spec import ModelSpec, SpecFieldError
from mixwise.progress import Cancelled

from .conftest import SMALL


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        ({"adstock": {"kind": "weibull_pdf"}}, "adstock.kind"),
        ({"saturation": {"kind": "logistic"}}, "saturation.kind"),
        ({"adstock": {"normalize": False}}, "adstock.normalize"),
        ({"seasonality": {"yearly_order": 3}}, "seasonality.yearly_order"),
        ({"trend": {"n_changepoints": 4}}, "trend"),
        ({"sampler": {"mode": "quick"}}, "sampler.mode"),
        ({"sampler": {"target_accept": 0.95}}, "sampler.target_accept"),
        ({"time_varying_intercept": True}, "time_varying_intercept"),
        (
            {"priors": {"saturation_slope": {"dist": "Gamma", "kwargs": {"alpha": 2, "beta": 1}}}},
            "priors",
        ),
        ({"channels": {"Nope": {"cpa": {"mean": 1, "sigma": 1}}}}, "channels.Nope"),
    ],
)
def test_what_meridian_cannot_do_is_refused_before_fitting_naming_the_field(
    national_dataset: MMMDataset, spec: dict, field: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(MeridianEngine, "_fit", lambda *a: pytest.fail("fitted"))
    with pytest.raises(SpecFieldError) as err:
        fit(national_dataset, ModelSpec.from_dict(spec), engine="meridian")
    assert err.value.fields == [field]
    assert field.split(".")[0] in err.value.message


def test_a_missing_environment_names_the_install_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MIXWISE_MERIDIAN_ENV", str(tmp_path / "none"))
    with pytest.raises(EngineUnavailable, match="not installed") as err:
        environment.require()
    assert "mixwise engines install meridian" in err.value.hint


def _worker_pids() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().split(b"\0")
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(stat[1]) == os.getpid() and any(str(environment.WORKER).encode() == c for c in cmd):
            pids.append(int(entry.name))
    return pids


@pytest.fixture
def worker_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The worker's run folders go under ``tmp_path`` (tempfile reads TMPDIR again)."""
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    tempfile.tempdir = None
    yield tmp_path
    tempfile.tempdir = None


def test_a_worker_that_dies_fails_the_fit_with_its_log(
    national_dataset: MMMDataset, worker_tmp: Path
) -> None:
    """The real worker, killed (SIGKILL) as soon as it reports: the fit fails naming the signal
    and the kept log; nothing else of the worker's run folder is left."""
    killed: list[int] = []

    def kill_worker(stage: str, fraction: float, message: str = "") -> None:
        if not killed:
            killed.extend(_worker_pids())
            for pid in killed:
                os.kill(pid, signal.SIGKILL)

    spec = ModelSpec.from_dict({"sampler": SMALL})
    with pytest.raises(EngineFailed, match="killed by signal 9") as err:
        fit(national_dataset, spec, engine="meridian", progress=kill_worker)
    assert killed
    log = Path(err.value.hint.split(" is ")[-1].rstrip("."))
    assert log.name == "worker.log" and log.is_file() and log.parent.parent == worker_tmp
    assert sorted(p.name for p in log.parent.iterdir()) == ["bundle.json", "worker.log"]


def test_a_cancelled_fit_stops_the_worker_and_keeps_nothing(
    national_dataset: MMMDataset, worker_tmp: Path
) -> None:
    seen: list[int] = []

    def cancel(stage: str, fraction: float, message: str = "") -> None:
        if stage != "build":  # the worker has started
            seen.extend(_worker_pids())
            raise Cancelled("stop")

    with pytest.raises(Cancelled):
        fit(national_dataset, ModelSpec.from_dict({"sampler": SMALL}), "meridian", None, cancel)
    assert seen and _worker_pids() == []
    assert list(worker_tmp.iterdir()) == []  # the worker's run folder is gone
