"""Deprecated: the package is ``alliance_bot`` since 0.2.0; ``bot`` is an alias kept through 0.x.

``from bot import create_bot`` and ``import bot.<module>`` keep working: each ``bot.X`` is the very
module ``alliance_bot.X`` (one module object, so patches and isinstance checks agree), with a
DeprecationWarning on first import. Write ``from alliance_bot import create_bot`` instead.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
import warnings
from types import ModuleType

warnings.warn(
    "the 'bot' package is now 'alliance_bot'; 'bot' is a deprecated alias that will go in 1.0",
    DeprecationWarning,
    stacklevel=2,
)

from alliance_bot import *  # noqa: E402, F403  (create_bot, Settings, AllianceBot, __version__)
from alliance_bot import __all__, __version__  # noqa: E402, F401


class _Alias(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Resolve ``bot.X`` to the already-importable ``alliance_bot.X``."""

    def find_spec(self, name: str, path: object = None, target: object = None) -> importlib.machinery.ModuleSpec | None:
        if not name.startswith("bot."):
            return None
        return importlib.util.spec_from_loader(name, self, is_package=True)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return importlib.import_module("alliance_bot" + spec.name[len("bot") :])

    def exec_module(self, module: ModuleType) -> None:
        """The real module is already executed (as alliance_bot.X)."""


if not any(isinstance(finder, _Alias) for finder in sys.meta_path):
    sys.meta_path.insert(0, _Alias())
