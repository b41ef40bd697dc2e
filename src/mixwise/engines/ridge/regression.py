"""Ridge regression with sign constraints for a batch of designs at once (glmnet, ``alpha = 0``).

Robyn fits ``glmnet(x, y, alpha = 0, lambda, lower.limits)``: with columns standardised
(population sd ``s_j``) and an unpenalised intercept, glmnet's Gaussian ridge minimises

    1/(2n) ||y - b0 - X_s b||^2 + lambda / (2 sd_y) ||b||^2,       sd_y: population sd of y

(the penalty is on the scale of y), i.e. the normal equations
``(X_s'X_s + (n lambda / sd_y) I) b = X_s'(y - mean y)`` on centred columns; coefficients on the
original scale are ``b_j / s_j`` and ``b0 = mean(y) - sum_j mean(x_j) b_j / s_j``. In
scikit-learn terms: ``Ridge(alpha = n * lambda / sd_y).fit(X_s, y)``.

lambda is searched as a share of Robyn's range: ``lambda = lambda_min + share * (lambda_max -
lambda_min)`` with ``lambda_max = 0.1 * max_j |sum_t x_sj y_t| / (0.001 n)`` (glmnet's largest
useful lambda at its smallest mixing ``alpha = 0.001``, times Robyn's 0.1) and
``lambda_min = 1e-4 lambda_max`` (:func:`lambda_max`, :func:`penalty`).

Sign constraints (``lower.limits = 0`` for media) are solved exactly, as glmnet does, by a batched
Lawson-Hanson active-set method on the normal equations (:func:`solve_bounded`). The fixed block
(trend, seasonality, holidays, context) is centred and its cross-products ``Z'Z`` computed once;
only the media blocks ``M'M`` and ``M'Z`` change between candidates. When the fixed coefficients
are unconstrained they are eliminated exactly through one eigen-decomposition of the fixed
block's Gram matrix, reused for every candidate's penalty (:func:`_eliminate_fixed`), so the
bounded solve only sees the media block.

Robyn's ``intercept_sign = "non_negative"``: a fit whose intercept comes out negative is refitted
without intercept (uncentred columns scaled by their root mean square, as glmnet does with
``intercept = FALSE``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

LAMBDA_MIN_RATIO = 1e-4
"""glmnet's default ``lambda.min.ratio``; Robyn's ``lambda_min = lambda_max * 1e-4``."""


def _pop_sd(x: FloatArray, axis: int = 0) -> FloatArray:
    return np.sqrt(np.mean((x - x.mean(axis=axis, keepdims=True)) ** 2, axis=axis))


def lambda_max(x: npt.ArrayLike, y: npt.ArrayLike) -> float:
    """Robyn's ``lambda_max``: ``0.1 * max_j |sum_t x_sj y_t| / (0.001 n)``, ``x_s`` standardised
    (population sd; constant columns count as 0)."""
    xa, ya = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    sd = _pop_sd(xa)
    xs = np.where(sd > 0, (xa - xa.mean(axis=0)) / np.where(sd > 0, sd, 1.0), 0.0)
    return float(0.1 * np.max(np.abs(xs.T @ ya)) / (0.001 * xa.shape[0]))


def penalty(share: npt.ArrayLike, lam_max: float) -> FloatArray:
    """``lambda_min + share * (lambda_max - lambda_min)``, ``lambda_min = 1e-4 lambda_max``."""
    lam_min = lam_max * LAMBDA_MIN_RATIO
    return lam_min + np.asarray(share, dtype=np.float64) * (lam_max - lam_min)


def _masked_solve(a: FloatArray, c: FloatArray, free: BoolArray) -> FloatArray:
    """Solve ``a[F, F] b[F] = c[F]`` per row with ``b = 0`` off the free set ``F``."""
    both = free[:, :, None] & free[:, None, :]
    eye = np.eye(a.shape[-1], dtype=bool)
    a_f = np.where(both, a, np.where(eye, 1.0, 0.0))
    return np.linalg.solve(a_f, np.where(free, c, 0.0)[..., None])[..., 0]


def solve_bounded(
    a: FloatArray, c: FloatArray, nonneg: BoolArray, max_iter: int | None = None
) -> FloatArray:
    """Minimise ``b'a b / 2 - c'b`` subject to ``b_j >= 0`` where ``nonneg`` (batched).

    ``a (batch, p, p)`` symmetric positive definite, ``c (batch, p)``, ``nonneg (p,)``. Rows whose
    unconstrained solution is feasible are done in one solve; the others run Lawson-Hanson
    (interpolation keeps iterates feasible, so it terminates), warm-started from the variables
    that were positive, all rows of one iteration solved together.
    """
    batch, p = c.shape
    cap = max_iter or 10 * p + 10
    b = _masked_solve(a, c, np.ones((batch, p), dtype=bool))
    bad = (b[:, nonneg] < 0).any(axis=1)
    if not bad.any():
        return b
    rows = np.flatnonzero(bad)
    a_r, c_r = a[rows], c[rows]
    free = ~nonneg[None, :] | (b[rows] > 0)
    x = np.where(nonneg[None, :], np.maximum(b[rows], 0.0), b[rows])  # feasible start
    need_add = np.zeros(len(rows), dtype=bool)
    active = np.ones(len(rows), dtype=bool)
    scale = np.maximum(np.abs(c_r).max(axis=1), 1e-300)
    for _ in range(cap):
        if need_add.any():
            grad = c_r - np.einsum("rij,rj->ri", a_r, x)  # -dObjective/db
            cand = np.where(~free & nonneg[None, :], grad, -np.inf)
            j = np.argmax(cand, axis=1)
            gain = cand[np.arange(len(rows)), j]
            adding = need_add & (gain > 1e-10 * scale)
            active &= ~(need_add & ~adding)  # optimal: no bound variable wants to move up
            free[np.flatnonzero(adding), j[adding]] = True
        if not active.any():
            break
        idx = np.flatnonzero(active)
        z = _masked_solve(a_r[idx], c_r[idx], free[idx])
        viol = free[idx] & nonneg[None, :] & (z <= 0)
        ok = ~viol.any(axis=1)
        x[idx[ok]] = z[ok]
        need_add[idx] = ok
        if (~ok).any():
            r = idx[~ok]
            xr, zr, vr = x[r], z[~ok], viol[~ok]
            with np.errstate(divide="ignore", invalid="ignore"):
                ratio = np.where(vr, xr / (xr - zr), np.inf)
            step = np.clip(ratio.min(axis=1), 0.0, 1.0)
            xn = xr + step[:, None] * (zr - xr)
            hit = nonneg[None, :] & free[r] & (xn <= 1e-12 * np.abs(xr).max(axis=1, keepdims=True))
            xn[hit] = 0.0
            x[r] = xn
            free[r] &= ~hit
    b[rows] = x
    return b


@dataclass(frozen=True)
class FixedBlock:
    """Regressors shared by every candidate (trend, seasonality, holidays, context) over the
    window: centred once, their cross-products ``Z'Z`` kept."""

    z: FloatArray  # (n, k) raw
    mean: FloatArray  # (k,)
    centred: FloatArray  # (n, k)
    gram: FloatArray  # (k, k) centred cross-products

    @classmethod
    def of(cls, z: npt.ArrayLike) -> FixedBlock:
        za = np.asarray(z, dtype=np.float64).reshape(np.shape(z)[0], -1)
        mean = za.mean(axis=0)
        zc = za - mean
        return cls(z=za, mean=mean, centred=zc, gram=zc.T @ zc)


@dataclass(frozen=True)
class RidgeFit:
    """Original-scale coefficients: ``yhat = intercept + media @ coef[:m] + z @ coef[m:]``."""

    coef: FloatArray  # (cand, m + k)
    intercept: FloatArray  # (cand,)


def fit_ridge(
    media: npt.ArrayLike,
    fixed: FixedBlock,
    y: npt.ArrayLike,
    lam: npt.ArrayLike,
    nonneg: npt.ArrayLike,
    intercept_nonneg: bool = True,
) -> RidgeFit:
    """glmnet-equivalent ridge (module docstring) for every candidate's design ``[media, z]``.

    ``media (cand, n, m)``, ``y (n,)``, ``lam (cand,)`` (glmnet's lambda), ``nonneg (m + k,)``.
    """
    ma = np.asarray(media, dtype=np.float64)
    ya = np.asarray(y, dtype=np.float64)
    lam_a = np.broadcast_to(np.asarray(lam, dtype=np.float64), ma.shape[:1])
    sign = np.asarray(nonneg, dtype=bool)
    n = ya.shape[0]
    mu = np.concatenate(
        [ma.mean(axis=1), np.broadcast_to(fixed.mean, (ma.shape[0], fixed.mean.size))], axis=1
    )
    mc = ma - ma.mean(axis=1, keepdims=True)
    cov = _gram(mc, fixed) / n  # centred second moments (cand, p, p)
    yc = ya - ya.mean()
    cxy = (
        np.concatenate(
            [
                np.einsum("cnm,n->cm", mc, yc),
                np.broadcast_to(fixed.centred.T @ yc, (ma.shape[0], fixed.mean.size)),
            ],
            axis=1,
        )
        / n
    )
    sd = np.sqrt(np.diagonal(cov, axis1=1, axis2=2))
    coef = _scaled_solve(cov, cxy, sd, lam_a / np.sqrt(np.mean(yc**2)), sign, ma.shape[2])
    icpt = ya.mean() - np.einsum("cp,cp->c", mu, coef)
    if intercept_nonneg and (icpt < 0).any():
        r = np.flatnonzero(icpt < 0)
        raw = cov[r] + mu[r, :, None] * mu[r, None, :]  # uncentred second moments
        rxy = cxy[r] + mu[r] * ya.mean()
        rms = np.sqrt(np.diagonal(raw, axis1=1, axis2=2))
        pen_r = lam_a[r] / np.sqrt(np.mean(ya**2))
        coef[r] = _scaled_solve(raw, rxy, rms, pen_r, sign, ma.shape[2])
        icpt[r] = 0.0
    return RidgeFit(coef=coef, intercept=icpt)


def _gram(mc: FloatArray, fixed: FixedBlock) -> FloatArray:
    """``[[M'M, M'Z], [Z'M, Z'Z]]`` per candidate, ``Z'Z`` reused."""
    mm = np.einsum("cnm,cnj->cmj", mc, mc)
    mz = np.einsum("cnm,nk->cmk", mc, fixed.centred)
    zz = np.broadcast_to(fixed.gram, (mc.shape[0], *fixed.gram.shape))
    top = np.concatenate([mm, mz], axis=2)
    bottom = np.concatenate([np.transpose(mz, (0, 2, 1)), zz], axis=2)
    return np.concatenate([top, bottom], axis=1)


def _scaled_solve(
    second: FloatArray,
    cross: FloatArray,
    s: FloatArray,
    pen: FloatArray,
    sign: BoolArray,
    n_media: int,
) -> FloatArray:
    """Solve ``(S/(s s') + pen I) b_s = cross / s`` with bounds, return ``b_s / s``.

    Columns with ``s == 0`` (constant) get coefficient 0, as in glmnet. When no fixed column is
    constrained, the fixed block is eliminated exactly (:func:`_eliminate_fixed`).
    """
    keep = s > 0
    safe = np.where(keep, s, 1.0)
    a = second / (safe[:, :, None] * safe[:, None, :])
    a = np.where(keep[:, :, None] & keep[:, None, :], a, 0.0)
    c = np.where(keep, cross / safe, 0.0)
    if n_media < a.shape[-1] and not sign[n_media:].any():
        return _eliminate_fixed(a, c, pen, sign[:n_media], n_media) / safe
    a = a + pen[:, None, None] * np.eye(a.shape[-1])
    return solve_bounded(a, c, sign) / safe


def _eliminate_fixed(
    a: FloatArray, c: FloatArray, pen: FloatArray, sign: BoolArray, m: int
) -> FloatArray:
    """Minimise the (unconstrained) fixed coefficients out in closed form.

    With ``A = [[A_mm, A_mz], [A_zm, G_z]]`` and ``G_z = V diag(d) V'`` the same for every
    candidate, ``(G_z + pen I)^-1 = V diag(1 / (d + pen)) V'`` for any penalty: one
    eigen-decomposition per batch. The media coefficients solve the bounded reduced system
    ``(A_mm + pen I - A_mz (G_z + pen I)^-1 A_zm) b_m = c_m - A_mz (G_z + pen I)^-1 c_z``, then
    ``b_z = (G_z + pen I)^-1 (c_z - A_zm b_m)``.
    """
    d, v = np.linalg.eigh(a[0, m:, m:])
    inv = 1.0 / (d[None, :] + pen[:, None])  # (cand, k)
    amz_v = a[:, :m, m:] @ v  # (cand, m, k)
    cz_v = c[:, m:] @ v  # (cand, k)
    weighted = amz_v * inv[:, None, :]
    reduced = a[:, :m, :m] + pen[:, None, None] * np.eye(m)
    reduced = reduced - weighted @ np.transpose(amz_v, (0, 2, 1))
    rhs = c[:, :m] - np.einsum("cmk,ck->cm", weighted, cz_v)
    bm = solve_bounded(reduced, rhs, sign)
    bz = (inv * (cz_v - np.einsum("cmk,cm->ck", amz_v, bm))) @ v.T
    return np.concatenate([bm, bz], axis=1)
