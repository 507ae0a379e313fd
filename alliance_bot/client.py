"""The bot class: wires settings, the fact base and the store into discord.py."""

from __future__ import annotations

import gc
import hashlib
import json
import logging
from collections.abc import Iterable, Iterator
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from . import render
from .config import Settings
from .domain.errors import UserError, storable
from .domain.facts import FactBase
from .interactions import LeanItems, component_is_live
from .services import FactsService, NamesService, Services
from .storage import Ownership, Store, is_storage_failure

log = logging.getLogger(__name__)

_COMPONENT_TYPES = (discord.InteractionType.component, discord.InteractionType.modal_submit)

# Loaded in this order by setup_hook; an explicit tuple, never a directory scan.
EXTENSIONS: tuple[str, ...] = (
    "alliance_bot.cogs.meta",
    "alliance_bot.cogs.ask",
    "alliance_bot.cogs.quiz",
    "alliance_bot.cogs.timeline",
    "alliance_bot.cogs.facts",
    "alliance_bot.cogs.manage",
)


# What the bot asks for when added to a server (README, /about): View Channels, Send Messages,
# Send Messages in Threads, Embed Links, Attach Files, Read Message History.
INVITE_PERMISSIONS = discord.Permissions(274878024704)


def bot_intents() -> discord.Intents:
    """Minimal intents: slash commands need only guild events; nothing privileged."""
    intents = discord.Intents.none()
    intents.guilds = True
    return intents


def client_options() -> dict[str, Any]:
    """discord.py options: minimal intents and caches, and no mentions unless a reply opts in."""
    return {
        "command_prefix": commands.when_mentioned,
        "intents": bot_intents(),
        "allowed_mentions": discord.AllowedMentions.none(),
        "member_cache_flags": discord.MemberCacheFlags.none(),
        "chunk_guilds_at_startup": False,
        "max_messages": None,
        "help_command": None,
    }


class AllianceBot(commands.Bot):
    """The alliance bot. Build it with :func:`bot.create_bot`."""

    def __init__(self, settings: Settings, *, facts: FactBase | None = None, **options: Any) -> None:
        super().__init__(**client_options(), owner_ids=set(settings.owner_ids), **options)
        self.settings = settings
        self.sandboxed = False  # True when run_sandbox drives this bot against SimCord, not Discord
        self._store: Store | None = None
        # The features' own homes (alliance_bot/services): built here without I/O, started in setup_hook.
        self.services = Services(
            facts=FactsService(settings, lambda: self.store, facts),
            names=NamesService(lambda: self.store),
        )
        self._lean_items = LeanItems()
        # Top-level slash command name -> its id on Discord, for clickable mentions (/help, /about):
        # from the last sync, kept in the database so an ordinary restart knows them too.
        self.command_ids: dict[str, int] = {}
        self.tree.on_error = self.handle_interaction_error  # type: ignore[method-assign]
        self.tree.interaction_check = self._text_options_storable  # type: ignore[method-assign]
        # Set by the command line for a long-running bot (never in tests, which build many bots):
        # see setup_hook.

    # ------------------------------------------------------------------ lifecycle

    @property
    def store(self) -> Store:
        if self._store is None:
            raise RuntimeError("the store is opened in setup_hook")
        return self._store

    @property
    def store_is_open(self) -> bool:
        return self._store is not None

    @property
    def facts(self) -> FactBase:
        """The bundled facts (every server's view starts from them)."""
        return self.services.facts.bundled

    async def setup_hook(self) -> None:
        await self.services.facts.load()  # off the event loop; a broken file raises FactBaseError here
        self._store = await Store.open(
            self.settings.store_target, ownership=self.ownership, synchronous=self.settings.sqlite_synchronous
        )
        # Another process's fact edit or reload (PostgreSQL LISTEN/NOTIFY) reaches this one here.
        await self._store.listen(self.services.facts.on_store_event)
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        if self.settings.auto_sync:
            await self.sync_commands(guild_id=self.settings.dev_guild)
        # What start-up loaded (modules, schemas, the bundled facts, the engine tables) lives as long
        # as the bot: freeze it so the cyclic GC stops rescanning it on every full collection, which
        # holds the GIL and stalls the loop (bench/stall_bench.py: full collections ~600 ms -> ~80 ms;
        # bench/run.py: clicks and bursts). Collect first so no garbage is frozen; close() unfreezes.
        gc.collect()
        gc.freeze()

    @property
    def ownership(self) -> Ownership:
        """Which servers this process serves (its shards) and its name in the claims it writes."""
        settings = self.settings
        if settings.shard_count is None or settings.shard_ids is None:
            return Ownership(instance=settings.instance)
        return Ownership(settings.instance, settings.shard_count, settings.shard_ids)

    async def close(self) -> None:
        gc.unfreeze()  # what setup_hook froze is collectable again (matters to processes that outlive us)
        try:
            await super().close()
        finally:
            if self._store is not None:
                store, self._store = self._store, None
                await store.close()

    # ------------------------------------------------------------------ command sync

    def tree_payload_hash(self, guild_id: int | None = None) -> str:
        guild = discord.Object(guild_id) if guild_id else None
        commands_ = self.tree.get_commands(guild=guild)
        payload = sorted((c.to_dict(self.tree) for c in commands_), key=lambda c: (c["type"], c["name"]))
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()

    async def sync_commands(self, *, guild_id: int | None = None, force: bool = False) -> bool:
        """Sync the command tree if its payload changed since the last sync (or when forced).

        Returns True if a sync was sent. The hash of what was last synced is kept in the
        database, so ordinary restarts send nothing to Discord.
        """
        guild = discord.Object(guild_id) if guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        key = f"tree_hash:{guild_id or 'global'}"
        digest = self.tree_payload_hash(guild_id)
        ids_key = f"command_ids:{guild_id or 'global'}"
        if not force and await self.store.get_meta(key) == digest:
            log.info("command tree unchanged; not syncing")
            await self._load_command_ids(ids_key, guild)
            return False
        synced = await self.tree.sync(guild=guild)
        await self.store.set_meta(key, digest)
        await self._keep_command_ids(ids_key, synced)
        if self.sandboxed:
            where = "to the local sandbox (nothing was sent to Discord)"
        else:
            where = f"to guild {guild_id}" if guild_id else "globally"
        log.info("synced %d commands %s", len(synced), where)
        return True

    async def _keep_command_ids(self, ids_key: str, commands_: Iterable[app_commands.AppCommand]) -> None:
        self.command_ids = {
            command.name: command.id for command in commands_ if command.type is discord.AppCommandType.chat_input
        }
        await self.store.set_meta(ids_key, json.dumps(self.command_ids, sort_keys=True))

    async def _load_command_ids(self, ids_key: str, guild: discord.Object | None) -> None:
        """The ids of the commands synced earlier; fetched once if an older version synced them."""
        stored = await self.store.get_meta(ids_key)
        if stored is not None:
            try:
                self.command_ids = {str(name): int(id_) for name, id_ in json.loads(stored).items()}
                return
            except (ValueError, TypeError, AttributeError):
                log.warning("ignoring unreadable stored command ids")
        try:
            await self._keep_command_ids(ids_key, await self.tree.fetch_commands(guild=guild))
        except discord.HTTPException as error:  # /help then shows commands as code, not as mentions
            log.warning("could not fetch the command ids (%s); /help shows plain command names", error)

    def invite_url(self) -> str | None:
        """The link that adds the bot to a server or to a member's apps (once the application id is known)."""
        if self.application_id is None:
            return None
        return discord.utils.oauth_url(
            self.application_id, permissions=INVITE_PERMISSIONS, scopes=("bot", "applications.commands")
        )

    def command_mention(self, qualified_name: str) -> str | None:
        """A clickable ``</name sub:id>`` for a command, or None while its id is unknown."""
        command_id = self.command_ids.get(qualified_name.split()[0])
        return None if command_id is None else f"</{qualified_name}:{command_id}>"

    # ------------------------------------------------------------------ the one error path

    async def _text_options_storable(self, interaction: discord.Interaction) -> bool:
        """Refuse, once for every command, text options the database cannot hold (lone surrogates, NUL)."""
        options = (interaction.data or {}).get("options") or []
        if all(storable(value) for value in _text_option_values(options)):
            return True
        if interaction.type is discord.InteractionType.autocomplete:
            return False  # nothing to suggest; Discord shows no choices
        raise app_commands.CheckFailure(render.UNSTORABLE_TEXT)

    async def handle_interaction_error(self, interaction: discord.Interaction, error: BaseException) -> None:
        """Turn expected errors into short ephemeral replies; log everything else with its traceback."""
        original: BaseException = error
        while isinstance(original, app_commands.CommandInvokeError | app_commands.TransformerError) and (
            original.__cause__ is not None or getattr(original, "original", None) is not None
        ):
            inner = getattr(original, "original", None) or original.__cause__
            if inner is None or inner is original:
                break
            original = inner
            if isinstance(original, UserError):
                break

        if isinstance(original, UserError):
            message = original.message
        elif isinstance(error, app_commands.TransformerError):
            message = f"I couldn't understand {str(error.value)[:100]!r} there. Please check it and try again."
        elif isinstance(error, app_commands.NoPrivateMessage):
            message = render.GUILD_ONLY
        elif isinstance(error, app_commands.MissingPermissions):
            message = render.NEEDS_MANAGE_GUILD if "manage_guild" in error.missing_permissions else str(error)
        elif isinstance(error, app_commands.CommandOnCooldown):
            message = render.cooldown_text(error.retry_after)
        elif isinstance(error, app_commands.CheckFailure):
            message = str(error) or "You can't use this command here."
        elif isinstance(original, discord.HTTPException):
            # Discord refused a call made for this user (its outage, a rate limit, an expired
            # interaction): not a bug of ours, and the user hears it was Discord.
            log.warning(
                "Discord refused a call in %s: %s %s",
                getattr(interaction.command, "qualified_name", interaction.type.name),
                original.status,
                original.text or original.code,
            )
            message = render.discord_refused_text(original)
        elif is_storage_failure(original):
            log.error(
                "the database refused work in %s",
                getattr(interaction.command, "qualified_name", interaction.type.name),
                exc_info=error,
            )
            message = render.STORAGE_FAILURE
        else:
            log.error(
                "unexpected error in %s",
                getattr(interaction.command, "qualified_name", interaction.type.name),
                exc_info=error,
            )
            message = render.GENERIC_FAILURE
        # A refusal may come with a way forward (a refused form's "Edit again" button).
        extra = {"view": view} if (view := getattr(original, "view", None)) is not None else {}
        try:
            await render.send_ephemeral(interaction, render.error_text(message), **extra)
        except discord.HTTPException:
            log.warning("could not deliver an error reply", exc_info=True)

    # ------------------------------------------------------------------ lean dynamic items

    def add_lean_dynamic_items(self, *items: type[discord.ui.DynamicItem[Any]]) -> None:
        """Like ``add_dynamic_items``, for items built from their custom_id alone (interactions.py)."""
        self._lean_items.add(*items)

    def remove_lean_dynamic_items(self, *items: type[discord.ui.DynamicItem[Any]]) -> None:
        self._lean_items.remove(*items)

    # ------------------------------------------------------------------ expired components

    def dispatch(self, event_name: str, /, *args: Any, **kwargs: Any) -> None:
        super().dispatch(event_name, *args, **kwargs)
        # Only clicks and form submissions need on_component. An ``on_interaction`` method would
        # start a task for every slash command too (about 8 µs of a bare bot's ~115 µs /ask reply).
        if event_name == "interaction" and args[0].type in _COMPONENT_TYPES:
            self._schedule_event(self.on_component, "on_interaction", *args)

    async def on_component(self, interaction: discord.Interaction) -> None:
        """Call lean dynamic items; answer clicks on buttons (and forms) nobody listens to any more."""
        if interaction.type is discord.InteractionType.component and await self._lean_items.dispatch(
            interaction, self.handle_interaction_error
        ):
            return
        if component_is_live(self, interaction):
            return
        text = render.EXPIRED_MODAL if interaction.type is discord.InteractionType.modal_submit else render.EXPIRED_COMPONENT
        try:
            await render.send_ephemeral(interaction, render.error_text(text))
        except discord.HTTPException:
            log.debug("could not answer an expired component", exc_info=True)


def _text_option_values(options: Iterable[Any]) -> Iterator[str]:
    for option in options:
        value = option.get("value")
        if isinstance(value, str):
            yield value
        yield from _text_option_values(option.get("options") or [])


class ShardedAllianceBot(AllianceBot, commands.AutoShardedBot):
    """The same bot on discord.py's AutoShardedBot: the shards in ``BOT_SHARD_IDS`` in this process."""

    def __init__(self, settings: Settings, *, facts: FactBase | None = None) -> None:
        shard_ids = None if settings.shard_ids is None else list(settings.shard_ids)
        super().__init__(settings, facts=facts, shard_count=settings.shard_count, shard_ids=shard_ids)
