"""Tables and queries for the timeline feature."""

from __future__ import annotations

from .base import StoreBase

SCHEMA = """
"""


class TimelineQueries(StoreBase):
    pass
