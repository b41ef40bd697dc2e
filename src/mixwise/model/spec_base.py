"""The base of every model-spec block: strict, immutable pydantic models whose errors are
raised as :class:`SpecFieldError` naming the field (``sampler.chains: ...``)."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    ModelWrapValidatorHandler,
    ValidationError,
    model_validator,
)

from mixwise.errors import SpecError


class SpecFieldError(SpecError):
    """A ``SpecError`` that knows which field(s) were wrong (``fields``, dotted paths)."""

    def __init__(self, message: str, fields: list[str], hint: str = "") -> None:
        super().__init__(message, hint)
        self.fields = fields


def _format_errors(exc: ValidationError, prefix: str) -> tuple[str, list[str]]:
    parts, fields = [], []
    for err in exc.errors():
        loc = prefix + ".".join(str(x) for x in err["loc"])
        msg = str(err["msg"]).removeprefix("Value error, ")
        if msg.startswith("@") and ": " in msg:  # validators may name a deeper field: "@sub: msg"
            sub, msg = msg[1:].split(": ", 1)
            loc = f"{loc}.{sub}" if err["loc"] else prefix + sub
        loc = loc.rstrip(".") or "(spec)"
        got = err.get("input")
        shown = "" if isinstance(got, dict | list) or got is None else f" (got {got!r})"
        if err["type"] in ("missing", "extra_forbidden"):
            shown = ""
        parts.append(f"{loc}: {msg}{shown}")
        fields.append(loc)
    return "; ".join(parts), fields


_DEPTH: ContextVar[int] = ContextVar("mixwise_spec_depth", default=0)


def _format_message(msg: str, prefix: str) -> tuple[str, list[str]]:
    loc = prefix.rstrip(".") or "(spec)"
    if msg.startswith("@") and ": " in msg:
        sub, msg = msg[1:].split(": ", 1)
        loc = prefix + sub
    return f"{loc}: {msg}", [loc]


class SpecBlock(BaseModel):
    """Base of every spec block: strict, immutable, errors raised as ``SpecError``."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    _path: ClassVar[str] = ""

    @model_validator(mode="wrap")
    @classmethod
    def _as_spec_error(cls, data: Any, handler: ModelWrapValidatorHandler[Any]) -> Any:
        """Run ``_check``, then turn the outermost error into a ``SpecError`` naming fields."""
        depth = _DEPTH.get()
        token = _DEPTH.set(depth + 1)
        try:
            instance = handler(data)
            if isinstance(instance, SpecBlock):
                instance._check()
            return instance
        except ValidationError as exc:
            if depth:
                raise
            message, fields = _format_errors(exc, cls._path)
        except ValueError as exc:
            if depth:
                raise
            message, fields = _format_message(str(exc), cls._path)
        finally:
            _DEPTH.reset(token)
        raise SpecFieldError(f"Invalid model spec: {message}", fields, "Fix the named field(s).")

    def _check(self) -> None:
        """Cross-field checks; raise ``ValueError("msg")`` or ``ValueError("@field: msg")``."""


def is_number(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)
