"""Tables and queries for the quiz feature."""

from __future__ import annotations

from .base import StoreBase

SCHEMA = """
"""


class QuizQueries(StoreBase):
    pass
