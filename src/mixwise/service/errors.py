"""Errors of the service layer. Each maps to one HTTP status in the API (``mixwise.api.problems``)
and to exit code 2 in the CLI, like every :class:`~mixwise.errors.MixwiseError`."""

from __future__ import annotations

from mixwise.errors import MixwiseError

__all__ = [
    "Conflict",
    "FeatureLocked",
    "Forbidden",
    "NotFound",
    "NotImplementedYet",
    "PaymentRequired",
    "TooManyRequests",
    "Unauthorized",
    "UnsupportedFile",
]


class NotFound(MixwiseError):
    """No such object in this workspace (objects of other workspaces are 'not found' too)."""

    code = "not_found"

    def __init__(self, kind: str, object_id: str) -> None:
        super().__init__(
            f"{kind} {object_id!r} not found",
            f"List the {kind}s of your workspace to see which ids exist.",
        )


class NoCalendar(NotFound):
    """The workspace has no campaign calendar yet (404 on the calendar itself)."""

    def __init__(self) -> None:
        MixwiseError.__init__(
            self,
            "this workspace has no campaign calendar",
            "Upload one with PUT /api/v1/calendar (CSV/Excel) or PUT /api/v1/calendar/rows, "
            "or `mixwise timeline RUN --campaigns FILE` from the command line.",
        )


class Conflict(MixwiseError):
    """The object is not in a state that allows the request (e.g. results of a running fit)."""

    code = "conflict"


class Unauthorized(MixwiseError):
    """No valid API key."""

    code = "unauthorized"


class Forbidden(MixwiseError):
    """Authenticated, but the role (or a missing CSRF token) does not allow the request."""

    code = "forbidden"


class FeatureLocked(Forbidden):
    """A feature outside the workspace's plan tier; names the tiers that include it."""

    code = "feature_locked"

    def __init__(self, feature: str, label: str, tier: str | None, tiers: list[str]) -> None:
        self.extra = {"feature": feature, "tier": tier, "required_tiers": tiers}
        super().__init__(
            f"{label} is not included in the {tier} tier; it is included in: {', '.join(tiers)}",
            f"Ask an owner to move the workspace to the {tiers[0]} tier"
            if tiers
            else "No tier includes this feature at present.",
        )


class PaymentRequired(MixwiseError):
    """Not enough credits for the feature: carries the balance and the cost."""

    code = "insufficient_credits"

    def __init__(self, feature: str, balance: int, cost: int) -> None:
        self.extra = {"feature": feature, "balance": balance, "cost": cost}
        super().__init__(
            f"{feature} costs {cost} credits and the workspace has {balance}",
            "Buy or ask an operator to grant credits (`mixwise admin credits W --grant N`).",
        )


class TooManyRequests(MixwiseError):
    """A rate limit or a sign-in lock; ``retry_after`` seconds until it may be tried again."""

    code = "rate_limited"

    def __init__(self, message: str, retry_after: int, hint: str = "") -> None:
        self.retry_after = max(1, int(retry_after))
        self.extra = {"retry_after": self.retry_after}
        super().__init__(message, hint or f"Try again in {self.retry_after} s.")


class BadWindow(MixwiseError):
    """A date window (``start``, ``end``) that is reversed, empty or outside the fitted periods."""

    code = "bad_window"


class NotImplementedYet(MixwiseError):
    """A capability this installation does not have yet (e.g. the report builder)."""

    code = "not_implemented"


class UnsupportedFile(MixwiseError):
    """An upload that is not a table mixwise can read."""

    code = "unsupported_file"
