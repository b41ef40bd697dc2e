"""The engines a user can fit with, and installing those that need their own environment
(``mixwise engines list`` / ``install``; ``GET /api/v1/health`` lists the names)."""

from __future__ import annotations

from dataclasses import dataclass

from mixwise.engines.base import engine_capabilities, engine_names, require_engine
from mixwise.errors import EngineUnavailable, MixwiseError

LABELS = {
    "bayesian": "Bayesian (PyMC-Marketing)",
    "ridge": "Ridge (Robyn's method)",
    "meridian": "Meridian (Google)",
}


@dataclass(frozen=True)
class EngineInfo:
    """One engine: its name, label, whether it can fit now, and why not."""

    name: str
    label: str
    interval_kind: str
    geo: bool
    available: bool
    status: str


def list_engines() -> list[EngineInfo]:
    """Every registered engine and whether it can fit now (its environment installed)."""
    out = []
    for name in engine_names():
        caps = engine_capabilities(name)
        try:
            require_engine(name)
            available, status = True, "ready"
        except EngineUnavailable as exc:
            available, status = False, f"{exc.message}. {exc.hint}"
        out.append(
            EngineInfo(
                name, LABELS.get(name, name), caps.interval_kind, caps.geo, available, status
            )
        )
    return out


def install_engine(name: str) -> float:
    """Install the environment of engine ``name``; the seconds it took."""
    if name not in engine_names():
        raise MixwiseError(
            f"unknown engine {name!r}", f"Choose one of: {', '.join(engine_names())}."
        )
    if name != "meridian":
        raise MixwiseError(
            f"the {name} engine runs in mixwise's own environment: nothing to install",
            "Fit with it directly.",
        )
    from mixwise.engines.meridian.environment import install

    return install()
