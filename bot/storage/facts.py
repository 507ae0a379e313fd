"""Tables and queries for the facts feature."""

from __future__ import annotations

from .base import StoreBase

SCHEMA = """
"""


class FactsQueries(StoreBase):
    pass
