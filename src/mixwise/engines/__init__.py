"""Estimation engines behind one protocol (:class:`mixwise.engines.base.Engine`)."""

from mixwise.engines.base import Engine, engine_names, get_engine, register_engine

__all__ = ["Engine", "engine_names", "get_engine", "register_engine"]
