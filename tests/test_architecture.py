"""The layers' arrows point one way (STYLE.md, DESIGN.md move 8), checked from the source's imports.

domain  imports neither discord nor storage, services, render, cogs or the bot
storage imports neither discord nor services, render, cogs or the bot
render  imports neither storage, services, cogs nor the bot
services imports neither discord.ui nor cogs
The discord.py internals the bot reads live in one module (interactions.py).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "alliance_bot"


def _modules() -> dict[str, Path]:
    return {
        ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__"): path
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def _imports(name: str, path: Path) -> set[str]:
    """Absolute names of everything the module imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


RULES = {
    "alliance_bot.domain": ("discord", "alliance_bot.storage", "alliance_bot.services", "alliance_bot.render",
                            "alliance_bot.cogs", "alliance_bot.client", "alliance_bot.interactions"),
    "alliance_bot.storage": ("discord", "alliance_bot.services", "alliance_bot.render", "alliance_bot.cogs",
                             "alliance_bot.client", "alliance_bot.interactions"),
    "alliance_bot.render": ("alliance_bot.storage", "alliance_bot.services", "alliance_bot.cogs",
                            "alliance_bot.client"),
    "alliance_bot.services": ("discord.ui", "alliance_bot.cogs"),
}


def _forbidden(module: str, imported: str, prefixes: tuple[str, ...]) -> bool:
    return any(imported == prefix or imported.startswith(prefix + ".") for prefix in prefixes)


@pytest.mark.parametrize("layer", sorted(RULES))
def test_each_layer_imports_only_downwards(layer):
    broken = [
        f"{name} imports {imported}"
        for name, path in _modules().items()
        if name == layer or name.startswith(layer + ".")
        for imported in sorted(_imports(name, path))
        if _forbidden(name, imported, RULES[layer])
    ]
    assert not broken, "\n".join(broken)


def test_the_rules_see_real_imports():
    # The checker itself: the render layer does import discord, the cogs import the render layer.
    modules = _modules()
    assert "discord" in _imports("alliance_bot.render", modules["alliance_bot.render"])
    assert "alliance_bot.render" in _imports("alliance_bot.cogs.ask", modules["alliance_bot.cogs.ask"])
    assert "alliance_bot.domain.privacy.FORGOTTEN" in _imports("alliance_bot.storage.privacy", modules["alliance_bot.storage.privacy"])


PRIVATE = re.compile(r"_view_store|\._(modals|dynamic_items)\b|store\._views\b|__discord_ui_compiled_template__")


def test_discord_py_internals_are_read_in_one_module_only():
    readers = sorted(
        name for name, path in _modules().items() if PRIVATE.search(path.read_text(encoding="utf-8"))
    )
    assert readers == ["alliance_bot.interactions"], readers
