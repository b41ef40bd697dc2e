"""What one gradient of the model costs, and what a hand-fused kernel could save.

    .venv/bin/python bench/gradient_cost.py [--data small|pymc] [--calls 20000]

Sampling time is chains x iterations x leapfrog steps x the cost of one log-density gradient.
This bench measures the last factor, per call (the smallest of 5 timings of ``--calls`` calls):

1. ``model``: the fitted model's log density and gradient as mixwise compiles it for nutpie
   (PyTensor's numba backend, data-only parts hoisted: :mod:`mixwise.engines.bayesian.codegen`),
   called from Python (nutpie calls it from Rust, without the ~1 us of Python dispatch);
2. ``media (PyTensor)``: the media block alone (normalised geometric adstock, logistic
   saturation, coefficient) and its gradient, as a PyTensor graph compiled the same way;
3. ``media (fused numba)``: the same value and gradient from one hand-written numba loop nest
   (a prototype, checked here against 2. to 1e-10), timed inside numba;
4. ``exp``: as many ``exp`` calls as the media block needs (periods x channels), inside numba:
   the floor of any kernel of this model (PyPI's llvmlite has no SVML, so ``exp`` is not
   vectorised).
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path
from typing import Any, cast

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from fit_speed import load_dataset  # noqa: E402

L_MAX = 8


def per_call(fn: Any, args: list[Any], calls: int) -> float:
    """Smallest of 5 mean times per call, in microseconds."""
    fn(*args)
    best = np.inf
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(calls):
            fn(*args)
        best = min(best, (time.perf_counter() - t0) / calls * 1e6)
    return float(best)


def model_gradient(dataset: Any, calls: int) -> tuple[float, int, int]:
    """(us per logp+grad call, graph nodes, unconstrained dimension) of the fitted model."""
    import pytensor

    import mixwise
    from mixwise.engines.bayesian import codegen
    from mixwise.model.spec import ModelSpec, SamplerSpec

    spec = ModelSpec(sampler=SamplerSpec(tune=50, draws=20, chains=2, seed=1, reruns=0))
    model = mixwise.fit(dataset, spec).native.model
    joined, outputs, _, _, plan = codegen._graphs(model, [])
    fn = pytensor.function([joined], outputs, mode="NUMBA")
    x = np.random.default_rng(0).normal(size=plan.n_dim) * 0.3
    args = [x] + [s.get_value() for s in fn.get_shared()]
    return per_call(fn.vm.jit_fn, args, calls), len(fn.maker.fgraph.apply_nodes), plan.n_dim


def media_pytensor(spend: np.ndarray, weights: np.ndarray) -> Any:
    """The media block's sum(weights * contributions) and its gradient, compiled with numba."""
    import pytensor
    import pytensor.tensor as pt
    from pytensor.tensor.signal import convolve1d

    n_channels = spend.shape[1]
    alpha, lam, beta = (pt.vector(n, shape=(n_channels,)) for n in ("alpha", "lam", "beta"))
    kernel = alpha[:, None] ** pt.arange(L_MAX)[None, :]
    kernel = kernel / kernel.sum(-1, keepdims=True)
    padded = pytensor.shared(np.vstack([np.zeros((L_MAX - 1, n_channels)), spend]).T)
    adstocked = convolve1d(padded, kernel, mode="valid").T
    e = pt.exp(-lam * adstocked)
    value = ((1 - e) / (1 + e) * beta * pytensor.shared(weights)).sum()
    grads = cast(list[Any], pt.grad(value, [alpha, lam, beta]))
    fn = pytensor.function([alpha, lam, beta], [value, *grads], mode="NUMBA")
    shared = [s.get_value() for s in fn.get_shared()]
    return lambda *params: fn.vm.jit_fn(*params, *shared)


def _fused_kernels() -> tuple[Any, Any, Any]:
    import numba

    @numba.njit(fastmath=True)
    def media(padded, weights, alpha, lam, beta):
        """sum_t,c g[t,c] beta[c] tanh(lam[c] x[t,c] / 2), x = normalised geometric adstock of
        the spend, and its gradient in (alpha, lam, beta), in one pass per channel."""
        n_channels, n_periods = alpha.shape[0], weights.shape[0]
        value = 0.0
        d_alpha, d_lam, d_beta = np.zeros(n_channels), np.zeros(n_channels), np.zeros(n_channels)
        x, gx, e = np.empty(n_periods), np.empty(n_periods), np.empty(n_periods)
        for c in range(n_channels):
            total, d_total, power = 0.0, 0.0, 1.0
            for j in range(L_MAX):
                total += power
                if j < L_MAX - 1:
                    d_total += (j + 1) * power
                power *= alpha[c]
            x[:] = 0.0
            power = 1.0
            for j in range(L_MAX):
                w = power / total
                for t in range(n_periods):
                    x[t] += w * padded[c, t + L_MAX - 1 - j]
                power *= alpha[c]
            for t in range(n_periods):
                e[t] = np.exp(-lam[c] * x[t])
            sum_sat, sum_gx_x = 0.0, 0.0
            for t in range(n_periods):
                r = 1.0 / (1.0 + e[t])
                g = weights[t, c]
                sum_sat += (1.0 - e[t]) * r * g
                gz = g * beta[c] * 2.0 * e[t] * r * r
                d_lam[c] += gz * x[t]
                gx[t] = gz * lam[c]
                sum_gx_x += gx[t] * x[t]
            value += beta[c] * sum_sat
            d_beta[c] = sum_sat
            acc, power = 0.0, 1.0
            for j in range(1, L_MAX):
                lagged = 0.0
                for t in range(n_periods):
                    lagged += gx[t] * padded[c, t + L_MAX - 1 - j]
                acc += lagged / total * j * power
                power *= alpha[c]
            d_alpha[c] = acc - sum_gx_x / total * d_total
        return value, d_alpha, d_lam, d_beta

    @numba.njit(fastmath=True)
    def media_loop(n, padded, weights, alpha, lam, beta):
        s = 0.0
        for _ in range(n):
            s += media(padded, weights, alpha, lam, beta)[0]
        return s

    @numba.njit(fastmath=True)
    def exp_loop(n, z):
        s = 0.0
        for _ in range(n):
            for k in range(z.size):
                s += np.exp(z[k])
        return s

    return media, media_loop, exp_loop


def inside_numba(loop: Any, args: list[Any], calls: int) -> float:
    loop(10, *args)
    best = np.inf
    for _ in range(5):
        t0 = time.perf_counter()
        loop(calls, *args)
        best = min(best, (time.perf_counter() - t0) / calls * 1e6)
    return float(best)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="small", choices=["small", "pymc"])
    parser.add_argument("--calls", type=int, default=20000)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    dataset = load_dataset(args.data)
    model_us, nodes, n_dim = model_gradient(dataset, args.calls)

    spend = np.asarray(dataset.spend(), dtype=float)
    spend = spend / spend.max(axis=0)
    rng = np.random.default_rng(1)
    weights = rng.normal(size=spend.shape)
    n_channels = spend.shape[1]
    params = [rng.uniform(0.2, 0.8, n_channels), rng.uniform(0.5, 3, n_channels)]
    params.append(rng.uniform(0.1, 1, n_channels))
    reference = media_pytensor(spend, weights)
    media, media_loop, exp_loop = _fused_kernels()
    padded = np.ascontiguousarray(np.vstack([np.zeros((L_MAX - 1, n_channels)), spend]).T)
    for got, want in zip(media(padded, weights, *params), reference(*params), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
    rows = [
        (f"model ({n_dim} parameters, {nodes} graph nodes)", model_us),
        ("media (PyTensor)", per_call(reference, params, args.calls)),
        ("media (fused numba)", inside_numba(media_loop, [padded, weights, *params], args.calls)),
        (f"exp x {spend.size}", inside_numba(exp_loop, [rng.normal(size=spend.size)], args.calls)),
    ]
    print(f"| {args.data}: one log-density gradient | us per call |\n|---|---:|")
    for label, us in rows:
        print(f"| {label} | {us:.1f} |")


if __name__ == "__main__":
    main()
