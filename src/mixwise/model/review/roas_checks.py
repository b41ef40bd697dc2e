"""Reviewer checks of the channels' ROAS: against lift tests and ROAS priors, the prior's
influence (prior-to-posterior contraction), plausibility and precision. They read the summary
(``channels[c].roas``, ``lift_tests``) and the spec; the prior's ROAS comes from the engine
(``provenance["prior_roas"]``: the ROAS implied by the priors alone, per channel)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mixwise.model.review.base import Check, Skipped, graded, worst
from mixwise.model.review.thresholds import THRESHOLDS as T

if TYPE_CHECKING:
    from mixwise.model.result import FitResult


def lift_tests(summary: dict[str, Any]) -> Check | Skipped:
    """Each lift test's ``z = (fitted - measured) / sigma`` (:mod:`mixwise.model.lift`)."""
    tests = summary.get("lift_tests") or []
    if not tests:
        return Skipped("lift_tests", "the spec has no lift tests")
    zs = {
        f"{t['channel']}{'/' + t['geo'] if t.get('geo') else ''} {t['start']}": t["z"]
        for t in tests
    }
    return _z_check(
        "lift_tests",
        zs,
        "The model agrees with every lift test.",
        "The model disagrees with the lift test(s) {off} (|z| > {limit}): check the test's "
        "window and spend level, or whether the data can carry the channel at all.",
    )


def _z_check(name: str, zs: dict[str, float], ok: str, off_message: str) -> Check:
    """Pass / warn / fail on the largest ``|z|`` against the calibration thresholds;
    ``off_message`` is formatted with ``off`` (what is beyond the warning) and ``limit``."""
    status = worst([graded(abs(z), T.calibration_warn, T.calibration_fail) for z in zs.values()])
    if status == "pass":
        return Check(name, "pass", ok, {"z": zs})
    off = ", ".join(k for k, z in zs.items() if abs(z) > T.calibration_warn)
    message = off_message.format(off=off, limit=f"{T.calibration_warn:g}")
    return Check(name, status, message, {"z": zs})


def roas_priors(result: FitResult, summary: dict[str, Any]) -> Check | Skipped:
    """A channel's informative ROAS prior (``channels.<name>.roas``) against its fitted ROAS:
    ``z = (posterior mean - prior mean) / prior sigma``."""
    zs: dict[str, float] = {}
    for name, ch in result.spec.channels.items():
        if ch.roas is None or name not in summary["channels"]:
            continue
        post = summary["channels"][name]["roas"]["mean"]
        if post is not None:
            zs[name] = (float(post) - ch.roas.mean) / ch.roas.sigma
    if not zs:
        return Skipped(
            "roas_priors", "no channel has an informative ROAS prior (channels.<name>.roas)"
        )
    return _z_check(
        "roas_priors",
        zs,
        "Fitted ROAS agree with their priors.",
        "The data pull the ROAS of {off} away from its prior (|z| > {limit}): check where the "
        "prior came from; if it is an experiment, enter it as a lift test.",
    )


def shrinkage(result: FitResult, summary: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Per channel, how far the data moved ROAS from what the priors alone imply::

        contraction = 1 - width(posterior interval) / width(prior interval)
        shift       = (posterior median - prior median) / width(prior interval)

    contraction near 0: the posterior is the prior (the data say little); near 1: the data
    decide. Empty when the engine has no priors (``provenance["prior_roas"]`` absent)."""
    prior = result.provenance.get("prior_roas") or {}
    out: dict[str, dict[str, float]] = {}
    for name, p in prior.items():
        post = summary["channels"].get(name, {}).get("roas")
        if not post or None in (p["lo"], p["hi"], post["lo"], post["hi"]):
            continue
        width = float(p["hi"]) - float(p["lo"])
        if width <= 0:
            continue
        out[name] = {
            "contraction": 1 - (float(post["hi"]) - float(post["lo"])) / width,
            "shift": (float(post["median"]) - float(p["median"])) / width,
        }
    return out


def prior_influence(result: FitResult, summary: dict[str, Any]) -> Check | Skipped:
    """Channels whose ROAS interval contracted less than ``contraction_warn`` from the prior's."""
    shrunk = shrinkage(result, summary)
    if not shrunk:
        return Skipped("prior_influence", "the engine records no prior ROAS (no priors to compare)")
    weak = [c for c, s in shrunk.items() if s["contraction"] < T.contraction_warn]
    numbers = {"channels": shrunk, "contraction_warn": T.contraction_warn}
    if not weak:
        return Check(
            "prior_influence",
            "pass",
            "The data, not the priors, set every channel's ROAS.",
            numbers,
        )
    return Check(
        "prior_influence",
        "warn",
        f"The prior, not the data, sets the ROAS of {', '.join(weak)} (its interval contracted "
        f"by less than {T.contraction_warn:.0%} from the prior's): the data cannot tell this "
        "channel apart; run a lift test or vary its spend before trusting its ROAS.",
        numbers,
    )


def _roas_items(summary: dict[str, Any]) -> dict[str, dict[str, float]]:
    return {
        c: e["roas"]
        for c, e in summary["channels"].items()
        if e.get("roas") and None not in e["roas"].values()
    }


def plausible_roas(summary: dict[str, Any]) -> Check | Skipped:
    """Revenue KPIs: ROAS mean above ``roas_max``, or an interval whose ends are more than
    ``roas_span`` apart as a ratio (orders of magnitude)."""
    if summary.get("kpi_type") != "revenue":
        return Skipped("plausible_roas", "the KPI is conversions: ROAS has no natural scale")
    roas = _roas_items(summary)
    high = [c for c, r in roas.items() if r["mean"] > T.roas_max]
    span = [c for c, r in roas.items() if r["lo"] > 0 and r["hi"] / r["lo"] > T.roas_span]
    span += [c for c, r in roas.items() if r["lo"] <= 0 < r["hi"]]
    numbers = {"roas_mean": {c: r["mean"] for c, r in roas.items()}, "roas_max": T.roas_max}
    if not high and not span:
        return Check("plausible_roas", "pass", "Every channel's ROAS is plausible.", numbers)
    parts = []
    if high:
        parts.append(f"ROAS above {T.roas_max:g} for {', '.join(high)}")
    if span:
        parts.append(f"intervals spanning orders of magnitude for {', '.join(sorted(set(span)))}")
    return Check(
        "plausible_roas",
        "warn",
        f"Implausible: {'; '.join(parts)}. Check the KPI and spend units (same currency, "
        "same period), and give these channels informative ROAS priors or lift tests.",
        numbers,
    )


def precision(summary: dict[str, Any]) -> Check | Skipped:
    """Channels whose ROAS interval is wider than ``relative_width_warn`` times its median."""
    roas = _roas_items(summary)
    if not roas:
        return Skipped("roas_precision", "no channel has a ROAS interval")
    rel = {
        c: (r["hi"] - r["lo"]) / abs(r["median"]) if r["median"] else float("inf")
        for c, r in roas.items()
    }
    wide = [c for c, v in rel.items() if v > T.relative_width_warn]
    numbers = {"relative_width": rel, "relative_width_warn": T.relative_width_warn}
    if not wide:
        return Check(
            "roas_precision", "pass", "Every ROAS interval is narrow enough to act on.", numbers
        )
    return Check(
        "roas_precision",
        "warn",
        f"The ROAS intervals of {', '.join(wide)} are too wide to act on (wider than "
        f"{T.relative_width_warn:g}x their median): do not move budget on them alone; a lift "
        "test, more history or more spend variation narrows them.",
        numbers,
    )
