"""Pydantic schemas of every request and response of the service (the API's bodies)."""
