"""/ask and /ally: straight, sourced answers to "are X and Y allies?" and the seed's questions."""

from __future__ import annotations

import asyncio
import logging

import discord
from discord import app_commands
from discord.ext import commands

from ..client import AllianceBot
from ..domain.countries import default_resolver
from ..domain.errors import UserError
from ..domain.facts import FactBase
from ..domain.questions import Answer, AskEngine, FaqAnswer, NoVerdict, PairAnswer, engine_for
from ..render import AUTOCOMPLETE_LIMIT, NO_MENTIONS
from ..render import ask as render_ask

log = logging.getLogger(__name__)


class Ask(commands.Cog):
    """Answer alliance questions in free text (/ask) or for a chosen pair (/ally)."""

    def __init__(self, bot: AllianceBot) -> None:
        self.bot = bot
        # Building a server's engine grows with its entries, so it runs in a worker thread;
        # one build at a time keeps engine_for's cache from being used by two threads at once.
        self._engine_lock = asyncio.Lock()
        # The engine each server used last, with the view it was built for: an unchanged view
        # (nearly every /ask) gets its engine without the thread hop.
        self._last_engine: dict[int | None, tuple[FactBase, AskEngine]] = {}

    async def cog_load(self) -> None:
        # pycountry reads its tables on first use: do that off the event loop, once.
        await asyncio.to_thread(default_resolver)

    async def _engine(self, interaction: discord.Interaction) -> AskEngine:
        facts = await self.bot.facts_for(interaction.guild_id)
        last = self._last_engine.get(interaction.guild_id)
        if last is not None and last[0] is facts:
            return last[1]
        async with self._engine_lock:
            engine = await asyncio.to_thread(engine_for, facts)
        self._last_engine[interaction.guild_id] = (facts, engine)
        return engine

    @app_commands.command(
        name="ask", description="Ask an alliance question, e.g. “is the U.S. allies with Russia?”"
    )
    @app_commands.describe(
        question="Your question, as you'd type it (e.g. “were Poland and the US allies in 1995?”)"
    )
    async def ask(self, interaction: discord.Interaction, question: app_commands.Range[str, 1, 300]) -> None:
        if not question.strip():
            raise UserError(render_ask.EMPTY_QUESTION)
        engine = await self._engine(interaction)
        today = discord.utils.utcnow().date()
        answer = engine.ask(question, current_year=today.year)
        await self._reply(interaction, engine, answer)

    @app_commands.command(name="ally", description="Are two countries allies? Optionally as of a past year")
    @app_commands.describe(
        country_a="The first country (start typing for suggestions)",
        country_b="The second country (start typing for suggestions)",
        year="Answer as of this year instead of today (membership years from the treaty data)",
    )
    async def ally(
        self,
        interaction: discord.Interaction,
        country_a: app_commands.Range[str, 1, 100],
        country_b: app_commands.Range[str, 1, 100],
        year: app_commands.Range[int, 1000, 2100] | None = None,
    ) -> None:
        engine = await self._engine(interaction)
        today = discord.utils.utcnow().date()
        answer = engine.ask_pair(country_a, country_b, year=year, current_year=today.year)
        await self._reply(interaction, engine, answer)

    @ally.autocomplete("country_a")
    @ally.autocomplete("country_b")
    async def country_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        countries = default_resolver().suggest(current, AUTOCOMPLETE_LIMIT)
        return [app_commands.Choice(name=c.name, value=c.code) for c in countries[:AUTOCOMPLETE_LIMIT]]

    # ------------------------------------------------------------------ replying

    async def _reply(self, interaction: discord.Interaction, engine: AskEngine, answer: Answer) -> None:
        """Send an answer: verdicts and FAQ answers publicly, no-verdict replies to the asker only."""
        resolver = engine.resolver
        today = discord.utils.utcnow().date()
        if isinstance(answer, PairAnswer) and answer.is_us_russia:
            view = render_ask.SectionView(
                owner_id=interaction.user.id,
                facts=engine.facts,
                verdict=answer.verdict,
                resolver=resolver,
                today=today,
            )
            await self._send(interaction, embed=view.embed(), view=view)
        elif isinstance(answer, PairAnswer):
            embed = render_ask.pair_embed(answer.verdict, resolver, engine.treaty_count)
            await self._send(interaction, embed=embed)
        elif isinstance(answer, FaqAnswer):
            await self._send(interaction, embed=render_ask.faq_embed(answer.faq, today))
        else:
            await self._send_no_verdict(interaction, engine, answer)

    async def _send_no_verdict(
        self, interaction: discord.Interaction, engine: AskEngine, answer: NoVerdict
    ) -> None:
        embed = render_ask.no_verdict_embed(answer, engine.resolver)
        choices = render_ask.no_verdict_choices(answer, engine.resolver)
        if not choices:
            await self._send(interaction, embed=embed, ephemeral=True)
            return
        view = render_ask.SuggestionView(owner_id=interaction.user.id, choices=choices, on_pick=self._on_pick)
        await self._send(interaction, embed=embed, view=view, ephemeral=True)

    async def _on_pick(self, interaction: discord.Interaction, choice: render_ask.Choice) -> None:
        """A suggestion button: answer the chosen pair or FAQ question against today's facts."""
        engine = await self._engine(interaction)
        today = discord.utils.utcnow().date()
        if choice.codes is not None:
            answer: Answer = PairAnswer(
                engine.pair(choice.codes[0], choice.codes[1], year=choice.year, current_year=today.year)
            )
        else:
            faq = engine.facts.get(choice.faq_id or "")
            if faq is None or faq.kind != "faq":
                raise UserError("That question is no longer in this server's facts. Try /ask again.")
            answer = FaqAnswer(faq, 100.0)
        await self._reply(interaction, engine, answer)

    async def _send(
        self,
        interaction: discord.Interaction,
        *,
        embed: discord.Embed,
        view: discord.ui.View | None = None,
        ephemeral: bool = False,
    ) -> None:
        kwargs: dict = {"embed": embed, "ephemeral": ephemeral, "allowed_mentions": NO_MENTIONS}
        if view is not None:
            kwargs["view"] = view
        if interaction.response.is_done():
            message: discord.Message | discord.InteractionMessage | None = await interaction.followup.send(
                wait=True, **kwargs
            )
        else:
            # The callback response carries the message: no extra GET for the original response.
            callback = await interaction.response.send_message(**kwargs)
            resource = callback.resource
            message = resource if isinstance(resource, discord.InteractionMessage) else None
        if isinstance(view, render_ask.BaseView) and message is not None:
            view.message = message


async def setup(bot: AllianceBot) -> None:
    await bot.add_cog(Ask(bot))
