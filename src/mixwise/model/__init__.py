"""Model layer: specs, the adstock/saturation math (:mod:`mixwise.model.transforms`), FitResult.

Kept import-light on purpose: import submodules directly.
"""
