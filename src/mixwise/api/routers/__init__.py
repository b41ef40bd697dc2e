"""Thin FastAPI routers: parse the request, call the service, return its schema."""
