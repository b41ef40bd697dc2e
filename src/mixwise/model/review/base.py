"""One reviewer check and the overall verdict."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from mixwise.model.intervals import rounded

Status = Literal["pass", "warn", "fail"]
ORDER: dict[str, int] = {"pass": 0, "warn": 1, "fail": 2}


@dataclass(frozen=True)
class Check:
    """A check's outcome: ``status``, a sentence on what to do, and the numbers it used."""

    name: str
    status: Status
    message: str
    numbers: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "status": self.status,
            "message": self.message,
            "numbers": clean(self.numbers),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Check:
        """The check that :meth:`to_dict` wrote (a stored placebo check)."""
        return cls(data["name"], data["status"], data["message"], dict(data.get("numbers", {})))


@dataclass(frozen=True)
class Skipped:
    """A check that could not be computed for this fit, and why."""

    name: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "reason": self.reason}


def clean(value: Any) -> Any:
    """JSON-safe numbers: floats rounded, inf/NaN as None, containers walked."""
    if isinstance(value, dict):
        return {str(k): clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return value
    return rounded(float(value))


def outcome(name: str, status: Status, ok: str, problem: str, numbers: dict[str, Any]) -> Check:
    """The check ``name`` with ``ok`` as its message when it passed, else ``problem``."""
    return Check(name, status, ok if status == "pass" else problem, numbers)


def worst(statuses: list[Status]) -> Status:
    """The most severe of ``statuses`` (``pass`` when empty)."""
    return max(statuses, key=ORDER.__getitem__, default="pass")


def graded(value: float, warn: float, fail: float, *, above: bool = True) -> Status:
    """``fail`` / ``warn`` / ``pass`` of ``value`` against limits (``above``: larger is worse)."""
    if value != value:  # NaN: nothing to judge
        return "warn"
    if above:
        return "fail" if value > fail else "warn" if value > warn else "pass"
    return "fail" if value < fail else "warn" if value < warn else "pass"


def verdict(checks: list[Check], skipped: list[Skipped]) -> dict[str, Any]:
    """The review document: the worst status, a sentence, the checks and the skipped ones."""
    status = worst([c.status for c in checks])
    failed = [c.name for c in checks if c.status == "fail"]
    warned = [c.name for c in checks if c.status == "warn"]
    if status == "fail":
        message = (
            f"Not fit to decide with: {', '.join(failed)} failed. Fix these before using the "
            "numbers (each check says how)."
        )
    elif status == "warn":
        message = f"Usable with care: {', '.join(warned)} need a look (each check says what to do)."
    else:
        message = f"Every check passed ({len(checks)} checks)."
    return {
        "verdict": status,
        "message": message,
        "checks": [c.to_dict() for c in checks],
        "skipped": [s.to_dict() for s in skipped],
    }
