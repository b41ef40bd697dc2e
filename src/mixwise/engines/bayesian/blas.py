"""PyTensor's BLAS setting, fixed at engine setup so no library warning reaches the user.

Left unset, PyTensor probes for a BLAS to link its C code against the first time it compiles
(about 1.8 s on the development machine) and, with pip-installed wheels, finds none: it warns
the user that it "could not link to a BLAS installation" and that performance "will be severely
degraded", then uses its NumPy-based fallback (``blas__ldflags = ""``). The OpenBLAS that the
NumPy and SciPy wheels ship cannot be linked instead: its symbols are renamed
(``scipy_dgemm_``, ``scipy_dgemm_64_``), not the ``dgemm_`` PyTensor's C code calls. Sampling
does not use that C code anyway (nutpie compiles the model with numba), only PyMC's fallback
sampler and the post-processing functions do, through NumPy's BLAS.

So the engine sets the same fallback explicitly: the result is unchanged, the probe and the
warning are gone. A user who chose a BLAS (``blas__ldflags`` in ``PYTENSOR_FLAGS`` or
``.pytensorrc``) keeps it.
"""

from __future__ import annotations

import os

import pytensor


def configure_blas() -> None:
    """Set ``blas__ldflags = ""`` (NumPy's BLAS) unless the user configured it."""
    chosen = "blas__ldflags" in os.environ.get("PYTENSOR_FLAGS", "")
    rc = os.environ.get("PYTENSORRC", os.path.expanduser("~/.pytensorrc"))
    for path in rc.split(os.pathsep):
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as f:
                chosen = chosen or "ldflags" in f.read()
    if not chosen:
        pytensor.config.blas__ldflags = ""
