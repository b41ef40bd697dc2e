"""What planning needs from a fitted model, as a type: :class:`FittedModel`.

Planning never imports an engine, nor needs to know the result class: any object with these
attributes can be planned with. :class:`~mixwise.model.result.FitResult` satisfies the protocol
structurally (mypy checks it below and wherever a FitResult is passed to planning). The
attributes are the ones :func:`mixwise.plan.adapter.response_model_from_result` reads.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

import pandas as pd
import xarray as xr

from mixwise.plan.response import ResponseModel

if TYPE_CHECKING:
    from mixwise.model.result import FitResult


class FittedModel(Protocol):
    """A fitted model as planning reads it (national models; see :mod:`mixwise.model.result`).

    ``params``: ``(draw, channel)`` variables ``adstock_<p>``, ``saturation_<p>``, ``beta``,
    ``spend_scale (channel)``, ``kpi_scale`` and attrs ``adstock``, ``saturation``, ``l_max``,
    ``normalize``, ``adstock_mode``; ``spend``: ``(time, channel)``; ``baseline``: ``(draw, time,
    component)``; ``kpi_type``: ``revenue`` or ``conversions``; ``frequency``: ``weekly`` or
    ``daily``; ``provenance["engine"]`` names the source.
    """

    @property
    def params(self) -> xr.Dataset: ...

    @property
    def spend(self) -> xr.DataArray: ...

    @property
    def baseline(self) -> xr.DataArray: ...

    @property
    def kpi_type(self) -> str: ...

    @property
    def frequency(self) -> str: ...

    @property
    def has_geo(self) -> bool: ...

    @property
    def provenance(self) -> Mapping[str, Any]: ...


type Plannable = FittedModel | ResponseModel
"""What every planning function accepts: a fitted model or its :class:`ResponseModel`."""

type Flighting = pd.DataFrame | str | None
"""``None`` or ``"even"`` (even spend over the plan), or ``(periods x channel)`` weights."""


if TYPE_CHECKING:

    def _fit_result_is_a_fitted_model(result: FitResult) -> FittedModel:
        return result  # mypy fails here if FitResult stops satisfying the protocol
