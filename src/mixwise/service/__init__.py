"""The use cases the CLI and the API share: workspaces and keys, datasets, models (fit jobs),
results, planning, scenarios, reports, the demo workspace; pydantic ``schemas/``."""
