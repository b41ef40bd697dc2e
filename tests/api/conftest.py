"""Fixtures of the API tests (defined in ``support.py``, shared with the other test folders)."""

from tests.api.support import fitted

__all__ = ["fitted"]
