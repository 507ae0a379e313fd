"""/facts show and history for everyone; the moderators' changes that /manage facts runs.

The moderator commands themselves are declared in ``cogs.manage`` (one top-level command that
Discord can hide from members); their work is done by the plain methods of this cog.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Literal

import discord
from discord import app_commands
from discord.ext import commands

from ..client import AllianceBot
from ..domain.errors import UserError
from ..domain.facts import FactBaseError, FactModel
from ..domain.overlay import (
    MAX_ENTRIES_PER_KIND,
    MAX_IMPORT_BYTES,
    FactVersion,
    ImportPlan,
    ImportRefused,
    NewVersion,
    apply_form,
    cap_text,
    export_yaml,
    form_fits_modal,
    form_values,
    headline_of,
    new_fact_id,
    plan_import,
    search_facts,
    state_after,
)
from ..render import NO_MENTIONS, error_text, reply_after_change
from ..render import facts as view
from ..storage.facts import VersionConflict
from .checks import ensure_moderator, ensure_owner

log = logging.getLogger(__name__)

AddableKind = Literal["faq", "timeline", "figure", "quiz"]


class Facts(commands.Cog):
    """The facts a server sees, and its moderators' changes to them (with history)."""

    facts = app_commands.Group(name="facts", description=view.FACTS_GROUP_DESCRIPTION, guild_only=True)

    def __init__(self, bot: AllianceBot) -> None:
        self.bot = bot

    # ------------------------------------------------------------------ helpers

    async def _current(self, guild_id: int, fact_id: str) -> tuple[FactModel | None, FactVersion | None]:
        """The entry as the server sees it now, and its latest stored version (None: bundled)."""
        latest = await self.bot.store.latest_fact_version(guild_id, fact_id)
        try:
            fact = state_after(latest, self.bot.facts.get(fact_id))
        except ValueError:
            log.warning("stored version %s of %s in guild %s no longer validates", latest, fact_id, guild_id)
            fact = self.bot.facts.get(fact_id)
        return fact, latest

    async def _require_fact(self, guild_id: int, fact_id: str) -> tuple[FactModel, FactVersion | None]:
        fact, latest = await self._current(guild_id, fact_id)
        if fact is None:
            if latest is not None and latest.state == "hidden":
                raise UserError(view.HIDDEN_FACT.format(fact_id=fact_id))
            raise UserError(view.UNKNOWN_FACT.format(fact_id=fact_id[:64]))
        return fact, latest

    async def _save(
        self,
        interaction: discord.Interaction,
        changes: list[NewVersion],
        expected: dict[str, int],
    ) -> list[FactVersion]:
        """Store changes as new versions, refresh this server's view and post to the audit channel."""
        guild_id = interaction.guild_id
        assert guild_id is not None
        try:
            stored = await self.bot.store.record_fact_versions(
                guild_id, interaction.user.id, changes, expected=expected, now=discord.utils.utcnow()
            )
        except VersionConflict as conflict:
            raise UserError(view.CHANGED_MEANWHILE.format(fact_id=conflict.fact_id, version=conflict.actual)) from None
        finally:
            self.bot.services.facts.invalidate(guild_id)
        await self.bot.services.names.remember(guild_id, interaction.user)
        names = {interaction.user.id: interaction.user.display_name}
        if len(stored) == 1:
            (version,) = stored
            after = state_after(version, self.bot.facts.get(version.fact_id))
            await self._audit(guild_id, view.audit_line(version, after, names))
        elif stored:  # an import: one line for all of it, not one post per entry
            await self._audit(guild_id, view.audit_batch_line(stored, names))
        return stored

    async def _audit(self, guild_id: int, line: str) -> None:
        channel_id = await self.bot.store.get_audit_channel(guild_id)
        if channel_id is None:
            return
        channel = self.bot.get_channel(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            log.warning("audit channel %s of guild %s is gone", channel_id, guild_id)
            return
        try:
            await channel.send(line, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException:
            log.warning("could not post to the audit channel %s of guild %s", channel_id, guild_id, exc_info=True)

    def _rejected(
        self,
        interaction: discord.Interaction,
        kind: str,
        error: ValueError,
        reopen: Callable[[], discord.ui.Modal],
    ) -> view.FormRejected:
        """A refused form's reply: every reason by the input's label, and Edit again with the draft."""

        async def edit_again(click: discord.Interaction) -> None:
            ensure_moderator(click)
            await click.response.send_modal(reopen())

        again = view.EditAgainView(owner_id=interaction.user.id, on_click=edit_again)
        return view.FormRejected(view.form_rejected_text(kind, str(error)), again)

    # ------------------------------------------------------------------ autocomplete

    async def fact_id_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Suggest entries by id or text, including those this server added or hid."""
        facts = await self.bot.services.facts.view(interaction.guild_id)
        extra: list[str] = []
        if interaction.guild_id is not None:
            extra = [v.fact_id for v in await self.bot.store.latest_fact_versions(interaction.guild_id)]
        # Matching searches every entry's text: off the loop (autocomplete runs on each keystroke).
        return view.fact_choices(await asyncio.to_thread(search_facts, facts, current, extra))

    # ------------------------------------------------------------------ show

    @facts.command(name="show", description="Show one entry as this server sees it, with its source")
    @app_commands.describe(fact_id="The entry's id (type to search by id or by text)")
    async def show(self, interaction: discord.Interaction, fact_id: str) -> None:
        guild_id = interaction.guild_id
        if guild_id is None:
            raise UserError(view.UNKNOWN_FACT.format(fact_id=fact_id[:64]))
        fact, latest = await self._require_fact(guild_id, fact_id)
        names = await self.bot.services.names.display_names(guild_id, [latest.author_id] if latest is not None else [])
        status = view.status_text(latest, self.bot.facts.origin.get(fact_id), names)
        embed = view.fact_embed(fact, status, discord.utils.utcnow().date())
        await interaction.response.send_message(embed=embed, allowed_mentions=NO_MENTIONS)

    show.autocomplete("fact_id")(fact_id_autocomplete)

    # ------------------------------------------------------------------ edit / add

    async def edit(self, interaction: discord.Interaction, fact_id: str) -> None:
        """/manage facts edit: open the form for one entry."""
        guild_id = interaction.guild_id
        assert guild_id is not None
        fact, latest = await self._require_fact(guild_id, fact_id)
        if not form_fits_modal(fact):
            raise UserError(view.TOO_BIG_FOR_FORM.format(fact_id=fact_id))
        base_version = latest.version if latest is not None else 0

        def form(values: dict[str, str]) -> view.FactFormModal:
            return view.FactFormModal(title=view.edit_title(fact.id), kind=fact.kind, values=values, on_submit=submitted)

        async def submitted(modal_interaction: discord.Interaction, values: dict[str, str]) -> None:
            ensure_moderator(modal_interaction)
            try:
                updated = apply_form(fact.kind, fact.id, fact, values)
            except ValueError as error:
                raise self._rejected(modal_interaction, fact.kind, error, lambda: form(values)) from None
            if updated == fact:
                raise UserError(view.NOTHING_CHANGED)
            (stored,) = await self._save(
                modal_interaction, [NewVersion(fact.id, "edit", updated)], {fact.id: base_version}
            )
            await reply_after_change(
                modal_interaction.response.send_message(
                    embed=view.change_embed(fact.id, stored, fact, updated), ephemeral=True, allowed_mentions=NO_MENTIONS
                ),
                view.change_done_text(fact.id, stored),
            )

        await interaction.response.send_modal(form(form_values(fact, fact.kind)))

    async def add(self, interaction: discord.Interaction, kind: AddableKind) -> None:
        """/manage facts add: open an empty form for a new entry of one kind."""
        async def submitted(modal_interaction: discord.Interaction, values: dict[str, str]) -> None:
            ensure_moderator(modal_interaction)
            guild_id = modal_interaction.guild_id
            assert guild_id is not None
            current = await self.bot.services.facts.view(guild_id)
            history_ids = [v.fact_id for v in await self.bot.store.latest_fact_versions(guild_id)]
            try:
                draft = apply_form(kind, "new-entry", None, values)
            except ValueError as error:
                raise self._rejected(modal_interaction, kind, error, lambda: form(values)) from None
            if current.counts().get(kind, 0) >= MAX_ENTRIES_PER_KIND:
                raise UserError(view.kind_full(kind, cap_text(kind)))
            fact_id = new_fact_id(kind, headline_of(draft), [*current.facts, *self.bot.facts.facts, *history_ids])
            fact = draft.model_copy(update={"id": fact_id})
            (stored,) = await self._save(modal_interaction, [NewVersion(fact_id, "add", fact)], {fact_id: 0})
            await reply_after_change(
                modal_interaction.response.send_message(
                    embed=view.change_embed(fact_id, stored, None, fact), ephemeral=True, allowed_mentions=NO_MENTIONS
                ),
                view.change_done_text(fact_id, stored),
            )

        def form(values: dict[str, str]) -> view.FactFormModal:
            return view.FactFormModal(title=view.add_title(kind), kind=kind, values=values, on_submit=submitted)

        if interaction.guild_id is not None:
            current = await self.bot.services.facts.view(interaction.guild_id)
            if current.counts().get(kind, 0) >= MAX_ENTRIES_PER_KIND:
                raise UserError(view.kind_full(kind, cap_text(kind)))
        await interaction.response.send_modal(form(form_values(None, kind)))

    # ------------------------------------------------------------------ remove

    async def remove(self, interaction: discord.Interaction, fact_id: str) -> None:
        """/manage facts remove: hide an entry after a confirmation."""
        guild_id = interaction.guild_id
        assert guild_id is not None
        fact, latest = await self._require_fact(guild_id, fact_id)
        base_version = latest.version if latest is not None else 0

        async def confirmed(click: discord.Interaction) -> None:
            ensure_moderator(click)
            (stored,) = await self._save(click, [NewVersion(fact.id, "hide", None, hidden=True)], {fact.id: base_version})
            await reply_after_change(
                click.response.edit_message(content=None, embed=view.change_embed(fact.id, stored, fact, None), view=None),
                view.change_done_text(fact.id, stored),
            )

        async def cancelled(click: discord.Interaction) -> None:
            await click.response.edit_message(content=view.REMOVE_CANCELLED.format(fact_id=fact.id), view=None)

        confirm_view = view.ConfirmView(
            owner_id=interaction.user.id, confirm_label="Hide it", on_confirm=confirmed, on_cancel=cancelled, danger=True
        )
        await interaction.response.send_message(
            view.remove_prompt(fact), view=confirm_view, ephemeral=True, allowed_mentions=NO_MENTIONS
        )
        await confirm_view.attach(interaction)

    # ------------------------------------------------------------------ history / revert

    @facts.command(name="history", description="Every version of an entry in this server, and who made it")
    @app_commands.describe(fact_id="The entry's id (type to search by id or by text)")
    async def history(self, interaction: discord.Interaction, fact_id: str) -> None:
        guild_id = interaction.guild_id
        assert guild_id is not None
        versions = await self.bot.store.fact_history(guild_id, fact_id)
        bundled = self.bot.facts.get(fact_id)
        if not versions and bundled is None:
            raise UserError(view.UNKNOWN_FACT.format(fact_id=fact_id[:64]))
        names = await self.bot.services.names.display_names(guild_id, [version.author_id for version in versions])
        embed = view.history_embed(fact_id, versions, bundled, self.bot.facts.origin.get(fact_id), names)
        await interaction.response.send_message(embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)

    history.autocomplete("fact_id")(fact_id_autocomplete)

    async def revert(self, interaction: discord.Interaction, fact_id: str, version: int) -> None:
        """/manage facts revert: make an earlier version current again, as a new version."""
        guild_id = interaction.guild_id
        assert guild_id is not None
        versions = await self.bot.store.fact_history(guild_id, fact_id)
        bundled = self.bot.facts.get(fact_id)
        if not versions and bundled is None:
            raise UserError(view.UNKNOWN_FACT.format(fact_id=fact_id[:64]))
        if version > len(versions):
            raise UserError(view.UNKNOWN_VERSION.format(fact_id=fact_id, version=version))
        latest = versions[-1] if versions else None
        target = versions[version - 1] if version > 0 else None
        current_state = ("bundled", None) if latest is None else (latest.state, latest.body)
        target_state = ("bundled", None) if target is None else (target.state, target.body)
        if current_state == target_state:
            raise UserError(view.ALREADY_AT_VERSION.format(fact_id=fact_id, version=version))
        before = state_after(latest, bundled)
        target_fact = state_after(target, bundled) if target is not None and target.state == "custom" else None
        change = NewVersion(
            fact_id, "revert", target_fact, hidden=target is not None and target.state == "hidden", reverted_to=version
        )
        (stored,) = await self._save(interaction, [change], {fact_id: latest.version if latest else 0})
        after = state_after(stored, bundled)
        await reply_after_change(
            interaction.response.send_message(
                embed=view.change_embed(fact_id, stored, before, after), ephemeral=True, allowed_mentions=NO_MENTIONS
            ),
            view.change_done_text(fact_id, stored),
        )

    # ------------------------------------------------------------------ export / import

    async def export(self, interaction: discord.Interaction) -> None:
        """/manage facts export: this server's changes as a file in the bundled schema."""
        guild_id = interaction.guild_id
        assert guild_id is not None
        latest = await self.bot.store.latest_fact_versions(guild_id)
        current = await self.bot.services.facts.view(guild_id)
        # Hiding an entry only this server had added changes nothing elsewhere: leave it out.
        overlay = {
            v.fact_id: current.get(v.fact_id)
            for v in latest
            if v.state == "custom" or (v.state == "hidden" and v.fact_id in self.bot.facts)
        }
        if not overlay:
            raise UserError(view.NO_CHANGES_TO_EXPORT)
        text = await asyncio.to_thread(export_yaml, self.bot.facts, overlay)
        await interaction.response.send_message(
            view.export_text(len(overlay)), file=view.export_file(guild_id, text), ephemeral=True
        )

    async def import_(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        """/manage facts import: apply such a file, all or nothing, after a summary."""
        guild_id = interaction.guild_id
        assert guild_id is not None
        if file.size > MAX_IMPORT_BYTES:
            raise UserError(view.import_too_big(file.size))
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await file.read()
        if len(data) > MAX_IMPORT_BYTES:
            raise UserError(view.import_too_big(len(data)))
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise UserError(view.IMPORT_NOT_TEXT) from None
        latest_before = {v.fact_id: v.version for v in await self.bot.store.latest_fact_versions(guild_id)}
        current = await self.bot.services.facts.view(guild_id)
        try:
            plan: ImportPlan = await asyncio.to_thread(plan_import, text, file.filename, self.bot.facts, current)
        except ImportRefused as refused:
            await interaction.followup.send(
                error_text(view.import_problems_text(file.filename, refused.problems)),
                ephemeral=True,
                allowed_mentions=NO_MENTIONS,
            )
            return
        if not plan.changes:
            raise UserError(view.IMPORT_NOTHING.format(file=file.filename))
        expected = {change.fact_id: latest_before.get(change.fact_id, 0) for change in plan.changes}

        async def confirmed(click: discord.Interaction) -> None:
            ensure_moderator(click)
            await self._save(click, plan.new_versions(), expected)
            done = view.import_done_text(plan)
            await reply_after_change(click.response.edit_message(content=done, embed=None, view=None), done)

        async def cancelled(click: discord.Interaction) -> None:
            await click.response.edit_message(content=view.IMPORT_CANCELLED, embed=None, view=None)

        confirm_view = view.ConfirmView(
            owner_id=interaction.user.id, confirm_label="Confirm", on_confirm=confirmed, on_cancel=cancelled
        )
        confirm_view.message = await interaction.followup.send(
            embed=view.import_summary_embed(file.filename, plan),
            view=confirm_view,
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
            wait=True,
        )

    # ------------------------------------------------------------------ reload / audit

    async def reload(self, interaction: discord.Interaction) -> None:
        """/manage facts reload: re-read the bundled data (bot owner only)."""
        await ensure_owner(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            fresh = await self.bot.services.facts.reload()
        except FactBaseError as error:
            log.warning("bundled facts reload refused: %s", error)
            await interaction.followup.send(embed=view.reload_failed_embed(error.problems), ephemeral=True)
            return
        await reply_after_change(
            interaction.followup.send(embed=view.reload_ok_embed(fresh.counts()), ephemeral=True),
            view.reload_ok_text(fresh.counts()),
        )

    async def audit(self, interaction: discord.Interaction, channel: discord.TextChannel | None = None) -> None:
        guild_id = interaction.guild_id
        assert guild_id is not None
        if channel is not None:
            me = channel.guild.me
            perms = channel.permissions_for(me) if me is not None else None
            if perms is None or not perms.send_messages:
                raise UserError(view.AUDIT_UNAVAILABLE.format(channel=f"#{channel.name}"))
        await self.bot.store.set_audit_channel(guild_id, channel.id if channel else None)
        text = view.AUDIT_SET.format(channel=f"#{channel.name}") if channel else view.AUDIT_OFF
        await reply_after_change(interaction.response.send_message(text, ephemeral=True), text)


async def setup(bot: AllianceBot) -> None:
    await bot.add_cog(Facts(bot))
