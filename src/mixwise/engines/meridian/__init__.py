"""The ``meridian`` engine: Google Meridian run by a worker in its own environment (TensorFlow is
never imported here). ``engine`` (``MeridianEngine``), ``options`` (what of a spec Meridian
honours, and the mapping onto its ModelSpec), ``bundle`` (the data the worker reads),
``process`` (the worker as a subprocess: progress, cancel, failure), ``convert`` (draws ->
FitResult), ``environment`` (its uv environment: status, install), ``worker`` (runs there)."""
