"""Markov chain attribution: removal effects on an absorbing chain of order 1 to 4.

States are the last ``k`` channels of a path (``k`` = the order; the start pads short histories),
plus ``start``, ``conversion`` and ``null`` (absorbing). Transition probabilities are the observed
transition counts of all journeys divided by each state's outgoing count. With ``Q`` the
transient-to-transient and ``r`` the transient-to-conversion probabilities, the conversion
probabilities solve ``(I - Q) x = r`` (scipy.sparse), and ``P = x[start]``.

Removing channel ``c`` sends every state that contains ``c`` to null; ``P_{-c}`` solves the same
system on the remaining states. The removal effect is ``RE_c = 1 - P_{-c} / P``; credit is
``total · RE_c / sum_c' RE_c'``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import spsolve

from mixwise.attribution.paths import PAD, Paths

MAX_ORDER = 4
MAX_SWEEPS = 2000
TOLERANCE = 1e-13


@dataclass(frozen=True)
class Chain:
    """The state graph of a set of paths (independent of their counts, so bootstrap replicates
    reuse it): ``edges`` (E x paths) counts how often each path walks each transition."""

    n_states: int
    members: np.ndarray
    """(states, channels) bool: which channels a state's history holds."""
    src: np.ndarray
    dst: np.ndarray
    edges: sp.csr_matrix
    last: np.ndarray
    """Per path, its last state (it leaves to conversion or null from there)."""


def build_chain(paths: Paths, order: int = 1) -> Chain:
    """States of order ``order`` and the transitions every path walks."""
    if not 1 <= order <= MAX_ORDER:
        raise ValueError(f"Markov order must be 1..{MAX_ORDER}")
    steps, n_ch = paths.steps, len(paths.channels)
    base = n_ch + 1
    code = np.zeros(steps.shape, dtype=np.int64)
    for i in range(order):  # history slot i holds the channel i steps back (n_ch = before start)
        shifted = np.full(steps.shape, n_ch, dtype=np.int64)
        shifted[:, i:] = steps[:, : steps.shape[1] - i] if i else steps
        code += shifted * base**i
    valid = steps != PAD
    uniq, inverse = np.unique(code[valid], return_inverse=True)
    state = np.full(steps.shape, -1, dtype=np.int64)
    state[valid] = inverse + 1  # 0 is start
    digits = (uniq[:, None] // base ** np.arange(order)[None, :]) % base
    members = np.zeros((len(uniq) + 1, n_ch), dtype=bool)
    rows = np.repeat(np.arange(1, len(uniq) + 1), order)
    flat = digits.ravel()
    members[rows[flat < n_ch], flat[flat < n_ch]] = True
    pid = np.repeat(np.arange(paths.n_paths)[:, None], steps.shape[1], axis=1)
    nxt = np.zeros_like(valid)
    nxt[:, :-1] = valid[:, 1:]
    src = np.concatenate([np.zeros(paths.n_paths, dtype=np.int64), state[nxt]])
    dst = np.concatenate([state[:, 0], state[:, 1:][nxt[:, :-1]]])
    owner = np.concatenate([np.arange(paths.n_paths), pid[nxt]])
    pairs, edge_of = np.unique(src * (len(uniq) + 1) + dst, return_inverse=True)
    incidence = sp.csr_matrix(
        (np.ones(len(owner)), (edge_of, owner)), shape=(len(pairs), paths.n_paths)
    )
    last = state[np.arange(paths.n_paths), paths.lengths - 1]
    return Chain(
        len(uniq) + 1, members, pairs // (len(uniq) + 1), pairs % (len(uniq) + 1), incidence, last
    )


def solve_direct(q: sp.csr_matrix, r: np.ndarray, keep: np.ndarray) -> float:
    """``x[start]`` of ``(I - Q) x = r`` restricted to the ``keep`` states (start is state 0),
    by sparse LU."""
    idx = np.flatnonzero(keep)
    sub = q[idx][:, idx]
    a = (sp.identity(len(idx), format="csc") - sub).tocsc()
    x = spsolve(a, r[idx])
    return float(np.atleast_1d(x)[0])


def solve_all(q: sp.csr_matrix, r: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """``x[start]`` for each column of ``keep`` (states, K) at once, by the monotone iteration
    ``x <- keep · (r + Q_off x) / (1 - Q_ss)`` from ``x = 0`` (self-loops solved exactly);
    columns that have not converged after ``MAX_SWEEPS`` fall back to :func:`solve_direct`."""
    diag = q.diagonal()
    off = (q - sp.diags(diag)).tocsr()
    scale = 1.0 / np.maximum(1.0 - diag, 1e-300)
    x = np.zeros(keep.shape)
    mask = keep.astype(float)
    for _ in range(MAX_SWEEPS):
        new = mask * (scale[:, None] * (r[:, None] + off @ x))
        change = np.abs(new - x).max(axis=0)
        x = new
        if change.max() < TOLERANCE:
            return x[0]
    out = x[0]
    for k in np.flatnonzero(change >= TOLERANCE):
        out[k] = solve_direct(q, r, keep[:, k])
    return out


def removal_effects(chain: Chain, converters: np.ndarray, nulls: np.ndarray) -> np.ndarray:
    """``RE_c = 1 - P_{-c} / P`` for every channel (zeros when nothing converts)."""
    journeys = converters + nulls
    counts = chain.edges @ journeys
    n = chain.n_states
    conv = np.bincount(chain.last, weights=converters, minlength=n)
    out = np.bincount(chain.src, weights=counts, minlength=n) + conv
    out += np.bincount(chain.last, weights=nulls, minlength=n)
    out = np.maximum(out, 1e-300)
    q = sp.csr_matrix((counts / out[chain.src], (chain.src, chain.dst)), shape=(n, n))
    keep = np.column_stack([np.ones(n, dtype=bool), ~chain.members])
    p = solve_all(q, conv / out, keep)
    if p[0] <= 0:
        return np.zeros(chain.members.shape[1])
    return 1.0 - p[1:] / p[0]


def markov_credit(
    paths: Paths, target: np.ndarray, order: int = 1, chain: Chain | None = None
) -> np.ndarray:
    """Credit ``total · RE_c / sum RE`` (``chain`` reused when given)."""
    chain = chain or build_chain(paths, order)
    effects = np.clip(removal_effects(chain, paths.converters, paths.nulls), 0.0, None)
    total = effects.sum()
    return target.sum() * effects / total if total > 0 else np.zeros_like(effects)
