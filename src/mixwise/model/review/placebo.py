"""The placebo check: a fake channel must get no effect.

The service refits the run's spec on its data plus a channel whose spend is the spend of a real
channel (``source``) shuffled in time (:func:`mixwise.data.placebo.with_placebo`): it has the
source's level and spread but no relation to the KPI. A model that credits it with a real share
of the KPI finds effects where there are none (too flexible, priors too loose, or a confounded
time pattern). The check, on the refit's summary::

    pass  if share(placebo) <= max(floor, pass_ratio * share(source))
    warn  if share(placebo) <= warn_ratio * share(source)
    fail  otherwise

with posterior-mean shares of the KPI, ``floor`` = ``placebo_share_floor``, the ratios
``placebo_share_pass`` and ``placebo_share_warn`` (:mod:`.thresholds`).
"""

from __future__ import annotations

from typing import Any

from mixwise.model.review.base import Check, Status
from mixwise.model.review.thresholds import THRESHOLDS as T


def placebo_check(refit_summary: dict[str, Any], placebo: str, source: str) -> Check:
    """The check above on the summary of the refit that had channel ``placebo`` (shuffled
    spend of ``source``)."""
    fake = refit_summary["channels"][placebo]
    real = refit_summary["channels"][source]
    share, real_share = float(fake["share"]["mean"]), float(real["share"]["mean"])
    numbers = {
        "placebo": placebo,
        "source": source,
        "placebo_share": share,
        "source_share": real_share,
        "placebo_roas": fake["roas"],
        "source_roas": real["roas"],
    }
    if share <= max(T.placebo_share_floor, T.placebo_share_pass * real_share):
        return Check(
            "placebo",
            "pass",
            f"A fake channel made from {source}'s shuffled spend got {share:.1%} of the KPI "
            f"({source}: {real_share:.1%}): the model does not find effects where there are none.",
            numbers,
        )
    status: Status = "warn" if share <= T.placebo_share_warn * real_share else "fail"
    return Check(
        "placebo",
        status,
        f"A fake channel made from {source}'s shuffled spend got {share:.1%} of the KPI "
        f"({source}: {real_share:.1%}): the model credits spend that has no effect. Tighten "
        "the media priors, add the controls that explain the KPI, or calibrate with lift tests.",
        numbers,
    )
