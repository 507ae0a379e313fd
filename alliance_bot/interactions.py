"""The discord.py internals the bot relies on, in one place (DESIGN.md move 7).

Two speed-ups read what discord.py keeps private; tests/test_packaging.py fails when an upgrade
removes any of it, and pyproject.toml pins discord.py to the tested minor version:

- **Lean dynamic items**: clicks on buttons whose custom_id carries all they need are matched and
  called here, without discord.py rebuilding a View from the clicked message first (about 70 µs of
  a bare bot's 230 µs click, bench/run.py's click floor). The match uses the template each
  DynamicItem class compiles (``__discord_ui_compiled_template__``).
- **Expired components**: a click or form nobody listens to any more (a restart, a timed-out view)
  is answered instead of left spinning; whether anything listens is read from the ViewStore's maps
  (``_views``, ``_modals``, ``_dynamic_items``), which have no public lookup.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

import discord

DynamicItemType = type[discord.ui.DynamicItem[Any]]


class LeanItems:
    """Dynamic items called straight from their custom_id (see the module docstring)."""

    def __init__(self) -> None:
        self._items: list[DynamicItemType] = []

    def add(self, *items: DynamicItemType) -> None:
        self._items.extend(items)

    def remove(self, *items: DynamicItemType) -> None:
        self._items = [item for item in self._items if item not in items]

    def match(self, custom_id: str) -> tuple[DynamicItemType, re.Match[str]] | None:
        for factory in self._items:
            found = factory.__discord_ui_compiled_template__.fullmatch(custom_id)
            if found is not None:
                return factory, found
        return None

    async def dispatch(
        self,
        interaction: discord.Interaction,
        on_error: Callable[[discord.Interaction, BaseException], Awaitable[None]],
    ) -> bool:
        """Call the lean item this click is for (errors go to ``on_error``); False if it is for none.

        ``from_custom_id`` receives ``None`` for the message's button, so such an item must not read
        it. An item with an ``on_click(interaction, match)`` classmethod is not built at all: the
        click goes straight to it (about 17 µs of a quiz click).
        """
        found = self.match(str((interaction.data or {}).get("custom_id", "")))
        if found is None:
            return False
        factory, match = found
        try:
            on_click = getattr(factory, "on_click", None)
            if on_click is not None:
                await on_click(interaction, match)
            else:
                item = await factory.from_custom_id(interaction, None, match)  # type: ignore[arg-type]
                if await item.interaction_check(interaction):
                    await item.callback(interaction)
        except Exception as error:
            await on_error(interaction, error)
        return True


def component_is_live(client: discord.Client, interaction: discord.Interaction) -> bool:
    """Does anything still listen to this click or form? The maps dispatch_view and dispatch_modal
    consult (discord/ui/view.py)."""
    store: Any = client._connection._view_store
    data: dict[str, Any] = interaction.data or {}  # type: ignore[assignment]
    custom_id = str(data.get("custom_id", ""))
    if interaction.type is discord.InteractionType.modal_submit:
        return custom_id in store._modals
    key = (data.get("component_type"), custom_id)
    message_id = interaction.message.id if interaction.message else None
    if key in store._views.get(message_id, {}) or key in store._views.get(None, {}):
        return True
    return any(pattern.fullmatch(custom_id) for pattern in store._dynamic_items)
