"""One class per feature: the feature's story (flow, state, caches, threads), Discord-UI-free.

Services take ids and values and return domain objects; commands and buttons reach them as
``bot.services``. Built with the bot (no I/O), started in ``setup_hook`` once the store is open.
"""

from __future__ import annotations

from dataclasses import dataclass

from .facts import FactsService
from .names import NamesService

__all__ = ["FactsService", "NamesService", "Services"]


@dataclass(frozen=True)
class Services:
    facts: FactsService
    names: NamesService
