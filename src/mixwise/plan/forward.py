"""The vectorised forward model over draws: adstock by matrix products, then saturation.

Spend is the same for every draw, only parameters differ, so adstock is one batched matrix
product per channel: with the kernel reversed, ``a[d, t, c] = sum_j w[d, c, L-1-j] *
x[t + j, c]`` over a sliding window of the spend (``L = l_max``). No Python loop runs over draws
or periods.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

from mixwise.plan.response import SATURATION_BLOCK, ResponseModel

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


def windows(x: FloatArray, n_lag: int) -> FloatArray:
    """``(P - L + 1, channel, L)`` sliding windows ``x[t + j, c]`` of ``(P, channel)`` spend."""
    return np.asarray(sliding_window_view(x, n_lag, axis=0))


def unique_windows(win: FloatArray) -> tuple[FloatArray, IntArray, FloatArray]:
    """Distinct windows, the window each period uses, and how many periods use each.

    Periods whose ``l_max`` spend window is identical have identical adstock for every draw,
    so each distinct window is computed once (an even plan has about ``2 l_max`` distinct
    windows however long it runs). Returns ``(unique (U, C, L), inverse (T,), counts (U,))``.
    """
    flat = np.ascontiguousarray(win.reshape(win.shape[0], -1))
    keys = flat.view(np.dtype((np.void, flat.dtype.itemsize * flat.shape[1]))).ravel()
    _, first, inverse, counts = np.unique(
        keys, return_index=True, return_inverse=True, return_counts=True
    )
    uniq = flat[first].reshape(-1, *win.shape[1:])
    return uniq, inverse.ravel(), counts.astype(np.float64)


GEMM_BLOCK = 200_000
"""Largest ``rows x periods x lags`` product per matrix multiply: below OpenBLAS's threading
threshold (4 x 65536), so each product runs on one thread. Multi-threaded BLAS on these small
products is slower, and erratic when the machine is busy."""


def adstock_windows(win: FloatArray, weights: FloatArray) -> FloatArray:
    """Adstock of ``(T, channel, L)`` windows with ``(draw, channel, L)`` weights -> ``(draw, T,
    channel)``: ``a[d, t, c] = sum_j w[d, c, L-1-j] win[t, c, j]`` (matrix products per channel,
    in blocks of draws small enough to stay single-threaded)."""
    kernel = np.ascontiguousarray(weights[..., ::-1].transpose(1, 0, 2))  # (C, D, L)
    wins = np.ascontiguousarray(win.transpose(1, 2, 0))  # (C, L, T)
    n_ch, n_draws, n_lag = kernel.shape
    out = np.empty((n_ch, n_draws, wins.shape[2]))
    step = max(1, GEMM_BLOCK // max(1, wins.shape[2] * n_lag))
    for lo in range(0, n_draws, step):
        np.matmul(kernel[:, lo : lo + step], wins, out=out[:, lo : lo + step])
    return np.asarray(out.transpose(1, 2, 0))


def adstock_draws(x: FloatArray, weights: FloatArray) -> FloatArray:
    """Adstock ``(P, channel)`` spend with ``(draw, channel, L)`` weights -> ``(draw, P-L+1, ch)``.

    Output row ``t`` is the adstock at input row ``t + L - 1``: the first ``L - 1`` rows of
    ``x`` are the periods before the first output period (history or zeros).
    """
    return adstock_windows(windows(x, weights.shape[-1]), weights)


def timeline(
    model: ResponseModel, plan: FloatArray, start: int, history: bool = True
) -> FloatArray:
    """Scaled spend ``(H + 2(L-1), channel)`` around a plan placed at period ``start``.

    Rows: the ``L - 1`` periods before ``start`` (actual spend when ``history``, zero before the
    data starts), the ``H`` plan periods, then ``L - 1`` periods of zero spend (the carry-over
    tail, where the plan's spend still acts after the plan ends).
    """
    n_lag, horizon = model.l_max, plan.shape[0]
    x = np.zeros((horizon + 2 * (n_lag - 1), model.n_channels))
    if history and n_lag > 1:
        lo = max(0, start - (n_lag - 1))
        past = model.spend[lo:start]
        x[n_lag - 1 - past.shape[0] : n_lag - 1] = past
    x[n_lag - 1 : n_lag - 1 + horizon] = plan
    return x / model.spend_scale


def history_windows(x: FloatArray, n_lag: int) -> FloatArray:
    """``(L - 1, channel, L)`` windows of the history part of ``x`` alone (plan set to zero):
    the only output periods where spend before the plan still acts."""
    if n_lag == 1:  # no carry-over: nothing of the history reaches the plan
        return np.zeros((0, x.shape[1], 1))
    hist = np.zeros((2 * (n_lag - 1), x.shape[1]))
    hist[: n_lag - 1] = x[: n_lag - 1]
    return windows(hist, n_lag)


def forward_totals(
    model: ResponseModel, both: FloatArray, n_unique: int, inverse: IntArray, horizon: int
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """Per-draw totals of a simulation, fused in cache-sized blocks of draws.

    ``both``: the plan's distinct windows (first ``n_unique``) then the history-only windows;
    ``inverse``: the distinct window of each output period (plan periods, then the tail).
    Returns ``(media per plan period (draw, H), media (draw, channel), carry-in (draw,
    channel), carry-over after the plan (draw, channel))`` -- nothing of size draw x period x
    channel is kept, which makes this about twice as fast as whole-array passes."""
    kernel = np.ascontiguousarray(model.adstock_weights[..., ::-1].transpose(1, 0, 2))
    wins = np.ascontiguousarray(both.transpose(1, 2, 0))  # (C, L, rows)
    n_ch, n_draws, _ = kernel.shape
    counts = np.bincount(inverse, minlength=n_unique).astype(np.float64)
    tail_counts = np.bincount(inverse[horizon:], minlength=n_unique).astype(np.float64)
    per_period = np.empty((n_draws, horizon))
    media, carried, tail = (np.empty((n_draws, n_ch)) for _ in range(3))
    step = max(1, SATURATION_BLOCK // (n_ch * wins.shape[2]))
    for lo in range(0, n_draws, step):
        hi = min(lo + step, n_draws)
        a = np.matmul(kernel[:, lo:hi], wins)  # (C, block, rows)
        f = model.saturate(a.transpose(1, 2, 0), slice(lo, hi))
        c = np.ascontiguousarray(np.moveaxis(model.media(f, slice(lo, hi)), -1, 0))
        plan_part = c[:, :, :n_unique]
        carried[lo:hi] = c[:, :, n_unique:].sum(axis=2).T
        media[lo:hi] = (plan_part @ counts).T - carried[lo:hi]
        tail[lo:hi] = (plan_part @ tail_counts).T
        per_period[lo:hi] = plan_part.sum(axis=0)[:, inverse[:horizon]]
    return per_period, media, carried, tail
