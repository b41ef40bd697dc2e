"""The ``ridge`` engine's computational core: Robyn's method in native, vectorised Python.

For every hyperparameter candidate (adstock and Hill saturation per channel, and the ridge
penalty share ``lambda``) the media are transformed (:mod:`.transforms`), a ridge regression with
non-negative media coefficients is solved (:mod:`.regression`) and scored on NRMSE and
DECOMP.RSSD (:mod:`.objectives`); Nevergrad searches the hyperparameters on both objectives at
once (:mod:`.search`), whole batches of candidates evaluated together (:mod:`.evaluate`); the
Pareto fronts and k-means clusters of per-channel ROAS pick the models (:mod:`.pareto`).
Hyperparameter ranges and their defaults live in :mod:`.hyperparameters`.
"""
