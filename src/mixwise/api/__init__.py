"""The REST API (FastAPI): ``mixwise.api.app.create_app``."""
