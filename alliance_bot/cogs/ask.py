"""/ask and /ally: straight, sourced answers to "are X and Y allies?" and the seed's questions."""

from __future__ import annotations

import asyncio
import contextvars
import io
import logging
import weakref
from datetime import date
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from ..client import AllianceBot
from ..domain.countries import default_resolver
from ..domain.errors import UserError
from ..domain.facts import FactBase
from ..domain.followups import Context, Contexts, follow_up, names_no_pair
from ..domain.questions import (
    RECORD_FIRST_YEAR,
    AllianceAnswer,
    AlliesAnswer,
    Answer,
    AskEngine,
    Claim,
    FaqAnswer,
    HistoryAnswer,
    NoVerdict,
    PairAnswer,
    When,
    engine_for,
    find_claims,
    question_language,
    read_question,
)
from ..render import AUTOCOMPLETE_LIMIT, ReadyComponents, pictures
from ..render import allies as render_allies
from ..render import ask as render_ask
from .checks import EVERYWHERE_CONTEXTS, EVERYWHERE_INSTALLS, everywhere, outside_a_server

log = logging.getLogger(__name__)


# The claim a message-menu fact-check is answering, for the replies of that interaction only.
_CHECKING: contextvars.ContextVar[str | None] = contextvars.ContextVar("fact_check_claim", default=None)
# The language the question was asked in, for the one-line note that answers are in English.
_LANGUAGE: contextvars.ContextVar[str] = contextvars.ContextVar("question_language", default="en")


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
        self._rendered: weakref.WeakKeyDictionary[AskEngine, render_ask.RenderedReplies] = weakref.WeakKeyDictionary()
        # Each member's last pair question per channel, for a few minutes (in memory only).
        self._contexts = Contexts()
        # A message menu cannot be declared in a cog: it is added to the tree on load.
        self._fact_check_menu = app_commands.ContextMenu(
            name=render_ask.FACT_CHECK_MENU,
            callback=self.fact_check,
            allowed_installs=EVERYWHERE_INSTALLS,
            allowed_contexts=EVERYWHERE_CONTEXTS,
        )

    def _rendered_for(self, engine: AskEngine) -> render_ask.RenderedReplies:
        """The embeds already rendered for this engine's fact-base view (dropped with the view)."""
        rendered = self._rendered.get(engine)
        if rendered is None:
            rendered = self._rendered[engine] = render_ask.RenderedReplies()
        return rendered

    async def cog_load(self) -> None:
        # No View kept per reply: the buttons are answered from their custom_id (interactions.py).
        self.bot.add_lean_dynamic_items(render_ask.SectionButton, render_ask.SuggestionButton, render_ask.PostPubliclyButton)
        self.bot.tree.add_command(self._fact_check_menu)
        # pycountry reads its tables on first use: do that off the event loop, once.
        await asyncio.to_thread(default_resolver)

    async def cog_unload(self) -> None:
        self.bot.remove_lean_dynamic_items(render_ask.SectionButton, render_ask.SuggestionButton, render_ask.PostPubliclyButton)
        self.bot.tree.remove_command(self._fact_check_menu.name, type=self._fact_check_menu.type)

    async def fact_check(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """The message menu: the alliance claims in a message (up to three), each answered as /ask
        would, to the member who asked only, with a button to post the answer in the channel."""
        text = (message.content or "").strip()[: render_ask.FACT_CHECK_SCAN]
        if not text:
            raise UserError(render_ask.NOTHING_TO_CHECK)
        engine = await self._engine(interaction)
        today = discord.utils.utcnow().date()
        claims = await asyncio.to_thread(find_claims, engine, text, today.year, render_ask.FACT_CHECK_CLAIMS)
        if len(claims) > 1:
            await self._send_claims(interaction, engine, claims, today)
            return
        # One claim (or none the engine could place): the full /ask answer to it.
        claim = claims[0][0] if claims else text
        claim = claim[: render_ask.FACT_CHECK_LENGTH]
        token = _CHECKING.set(claim)
        try:
            await self._answer(interaction, claim)
        finally:
            _CHECKING.reset(token)

    async def _send_claims(
        self, interaction: discord.Interaction, engine: AskEngine, claims: list[Claim], today: date
    ) -> None:
        """Several claims: one brief answer each, in one private message."""
        embeds = []
        for sentence, answer in claims:
            brief = render_ask.brief_embed(self._claim_embed(engine, answer, today))
            brief.set_author(name=render_ask.clip(f"“{sentence}”", 256))
            if outside_a_server(interaction):
                brief.set_footer(text=render_ask.bundled_footer(brief.footer.text))
            embeds.append(brief)
        view = ReadyComponents([render_ask.post_row(interaction.user.id)])
        content = render_ask.checked_many_line(len(claims))
        await interaction.response.send_message(content=content, embeds=embeds, view=view, ephemeral=True)

    @staticmethod
    def _claim_embed(engine: AskEngine, answer: PairAnswer | AllianceAnswer, today: date) -> discord.Embed:
        resolver = engine.resolver
        if isinstance(answer, AllianceAnswer):
            return render_allies.alliance_embed(answer, resolver)
        verdict = answer.verdict
        if answer.is_us_russia:
            return render_ask.section_embed("verdict", engine.facts, verdict, resolver, today)
        record = engine.alliances.record if verdict.missing is not None or verdict.year is not None else None
        return render_ask.pair_embed(verdict, resolver, engine.treaty_count, record)

    async def post_publicly(self, interaction: discord.Interaction, owner_id: int) -> None:
        """The Post publicly button: the private fact-check, posted in the channel as it reads."""
        message = interaction.message
        if message is None:
            raise UserError(render_ask.NOTHING_TO_CHECK)
        embeds = render_ask.public_copy(message.embeds)
        content = render_ask.shared_line(message.content, interaction.user.display_name)
        # The private copy loses its button first (the click's acknowledgement), then the public post.
        await interaction.response.edit_message(view=None)
        await interaction.followup.send(content=content, embeds=embeds)

    async def _engine(self, interaction: discord.Interaction) -> AskEngine:
        facts = await self.bot.services.facts.view(interaction.guild_id)
        last = self._last_engine.get(interaction.guild_id)
        if last is not None and last[0] is facts:
            return last[1]
        async with self._engine_lock:
            engine = await asyncio.to_thread(engine_for, facts)
        self._last_engine[interaction.guild_id] = (facts, engine)
        return engine

    @everywhere
    @app_commands.command(
        name="ask", description="Ask an alliance question, e.g. “is the U.S. allies with Russia?”"
    )
    @app_commands.describe(
        question="Your question, as you'd type it (e.g. “were Poland and the US allies in 1995?”)"
    )
    async def ask(self, interaction: discord.Interaction, question: app_commands.Range[str, 1, 300]) -> None:
        if not question.strip():
            raise UserError(render_ask.EMPTY_QUESTION)
        await self._answer(interaction, question, follow=True)

    async def _answer(self, interaction: discord.Interaction, question: str, *, follow: bool = False) -> None:
        """Answer a question; with ``follow``, a short follow-up ("what about china?") is read against
        the member's last pair question in this channel, and this one becomes the one to follow."""
        engine = await self._engine(interaction)
        today = discord.utils.utcnow().date()
        locale = str(interaction.locale)
        now = discord.utils.utcnow().timestamp()
        channel_id = interaction.channel_id or 0
        if follow:
            context = self._contexts.recent(channel_id, interaction.user.id, now)
            rewritten = follow_up(question, context, engine.resolver) if context is not None else None
            if rewritten is not None:
                question = rewritten
            elif names_no_pair(question):  # "are they allies?" with nothing to follow: ask back
                await self._reply(interaction, engine, NoVerdict("needs_pair"), today)
                return
        answer = engine.recall(question, today.year)
        if answer is None:
            reading = read_question(question, today.year, locale)
            language = reading.language
            if reading.grades_many_pairs:  # a span of years or a country's allies: off the event loop
                answer = await asyncio.to_thread(engine.answer, reading)
            else:
                answer = engine.answer(reading)
        else:
            language = question_language(question, locale)
        if follow and isinstance(answer, PairAnswer) and answer.verdict.missing is None:
            verdict = answer.verdict
            self._contexts.remember(channel_id, interaction.user.id, Context(verdict.a, verdict.b, verdict.year, now))
        token = _LANGUAGE.set(language)
        try:
            await self._reply(interaction, engine, answer, today)
        finally:
            _LANGUAGE.reset(token)

    @everywhere
    @app_commands.command(name="ally", description="Are two countries allies? Optionally as of a past year")
    @app_commands.describe(
        country_a="The first country (start typing for suggestions)",
        country_b="The second country (start typing for suggestions)",
        year="Answer for this year instead of today (any year up to now; treaty data from 1815)",
    )
    async def ally(
        self,
        interaction: discord.Interaction,
        country_a: app_commands.Range[str, 1, 100],
        country_b: app_commands.Range[str, 1, 100],
        year: app_commands.Range[int, 1, 9999] | None = None,
    ) -> None:
        engine = await self._engine(interaction)
        today = discord.utils.utcnow().date()
        answer = engine.ask_pair(country_a, country_b, year=year, current_year=today.year)
        await self._reply(interaction, engine, answer)

    @everywhere
    @app_commands.command(name="allies", description="Who are a country's allies? Now or in a past year")
    @app_commands.describe(
        country="The country (start typing for suggestions; former states such as the Soviet Union work too)",
        year="Answer for this year instead of today (any year up to now; treaty data from 1815)",
    )
    async def allies(
        self,
        interaction: discord.Interaction,
        country: app_commands.Range[str, 1, 100],
        year: app_commands.Range[int, 1, 9999] | None = None,
    ) -> None:
        engine = await self._engine(interaction)
        today = discord.utils.utcnow().date()
        if await self._refused_future_year(interaction, engine, year, today.year):
            return
        resolution = engine.resolver.resolve(country)
        if resolution.status != "exact" or resolution.country is None:
            codes = tuple(c.code for c in resolution.candidates)
            kind = "ambiguous" if resolution.status == "ambiguous" else "unknown_place"
            await self._send_no_verdict(interaction, *self._no_verdict(engine, NoVerdict(kind, country, codes, year=year)))
            return
        allies = await asyncio.to_thread(
            engine.alliances.allies_of, resolution.country.code, year=year, current_year=today.year
        )
        await self._reply(interaction, engine, AlliesAnswer(allies))

    @everywhere
    @app_commands.command(name="alliance", description="What is an alliance (NATO, CSTO, Warsaw Pact…) and who was in it")
    @app_commands.describe(
        name="The alliance (start typing: NATO, CSTO, ANZUS, Rio Treaty…)",
        year="Members in this year instead of today (any year up to now)",
    )
    async def alliance(
        self,
        interaction: discord.Interaction,
        name: app_commands.Range[str, 1, 200],
        year: app_commands.Range[int, 1, 9999] | None = None,
    ) -> None:
        engine = await self._engine(interaction)
        today = discord.utils.utcnow().date()
        if await self._refused_future_year(interaction, engine, year, today.year):
            return
        # Autocomplete sends a key; a typed name is matched again (autocomplete is only a suggestion).
        key = name if name in engine.catalogue.entries else engine.catalogue.find(name)
        if key is None:
            raise UserError(render_ask.unknown_alliance_text(name, [label for label, _ in engine.catalogue.suggest(name, 3)]))
        summary = engine.catalogue.summary(key, year, today.year)
        await self._reply(interaction, engine, AllianceAnswer(summary, "what"))

    @alliance.autocomplete("name")
    async def alliance_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        engine = await self._engine(interaction)
        return [
            app_commands.Choice(name=render_ask.clip(label, 100), value=key)
            for label, key in engine.catalogue.suggest(current, AUTOCOMPLETE_LIMIT)
        ]

    @allies.autocomplete("country")
    @ally.autocomplete("country_a")
    @ally.autocomplete("country_b")
    async def country_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        countries = default_resolver().suggest(current, AUTOCOMPLETE_LIMIT)
        return [app_commands.Choice(name=c.name, value=c.code) for c in countries[:AUTOCOMPLETE_LIMIT]]

    # ------------------------------------------------------------------ replying

    async def _reply(
        self, interaction: discord.Interaction, engine: AskEngine, answer: Answer, today: date | None = None
    ) -> None:
        """Send an answer: verdicts and FAQ answers publicly, no-verdict replies to the asker only."""
        resolver = engine.resolver
        today = today or discord.utils.utcnow().date()
        # Pair verdicts and FAQ answers first: nearly every /ask is one of them.
        if isinstance(answer, PairAnswer):
            verdict = answer.verdict
            if verdict.missing is not None:
                embed = render_ask.pair_embed(verdict, resolver, engine.treaty_count, engine.alliances.record)
                await self._send(interaction, embed=embed)
            elif verdict.year is not None:
                # A pair in the past: the verdict, and the pair's whole record as a strip.
                rendered = self._rendered_for(engine)
                found = rendered.find(answer, today)
                if found is not None:
                    embed, strip = found
                    await self._send(interaction, embed=embed, picture=strip)
                else:
                    embed = render_ask.pair_embed(verdict, resolver, engine.treaty_count, engine.alliances.record)
                    # One trip to a worker thread: the record, its strip and the strip drawn.
                    strip, png = await asyncio.to_thread(self._pair_strip, engine, answer, today.year)
                    embed, strip = rendered.keep(answer, today, (embed, strip))
                    # A strip that failed to draw was logged there: the answer goes out without it.
                    await self._send(interaction, embed=embed, picture=strip if png is not None else None, png=png)
            elif answer.is_us_russia:
                embed = self._rendered_for(engine).get(
                    answer, today, lambda: render_ask.section_embed("verdict", engine.facts, verdict, resolver, today)
                )
                buttons = render_ask.section_components(interaction.user.id, verdict.a, verdict.b)
                await self._send(interaction, embed=embed, view=ReadyComponents(buttons))
            else:
                embed = self._rendered_for(engine).get(
                    answer, today, lambda: render_ask.pair_embed(verdict, resolver, engine.treaty_count)
                )
                await self._send(interaction, embed=embed)
        elif isinstance(answer, FaqAnswer):
            faq = answer.faq
            embed = self._rendered_for(engine).get(answer, today, lambda: render_ask.faq_embed(faq, today))
            await self._send(interaction, embed=embed)
        elif isinstance(answer, HistoryAnswer):
            picture = render_allies.strip_picture(answer, resolver)
            await self._send(interaction, embed=render_ask.history_embed(answer, resolver), picture=picture)
        elif isinstance(answer, AlliesAnswer) and answer.allies.missing is not None:
            embed = render_allies.allies_missing_embed(answer, resolver, engine.alliances.record)
            await self._send(interaction, embed=embed)
        elif isinstance(answer, AlliesAnswer):
            embed = render_allies.allies_embed(answer, resolver)
            await self._send(interaction, embed=embed, picture=render_allies.allies_picture(answer, resolver))
        elif isinstance(answer, AllianceAnswer):
            embed = render_allies.alliance_embed(answer, resolver)
            await self._send(interaction, embed=embed, picture=render_allies.alliance_picture(answer, resolver))
        else:
            rendered = self._rendered_for(engine).get(answer, today, lambda: self._no_verdict(engine, answer))
            await self._send_no_verdict(interaction, *rendered)

    @staticmethod
    def _no_verdict(engine: AskEngine, answer: NoVerdict) -> tuple[discord.Embed, render_ask.SuggestionRows]:
        choices = render_ask.no_verdict_choices(answer, engine.resolver)
        return render_ask.no_verdict_embed(answer, engine.resolver), render_ask.suggestion_rows(choices)

    async def _send_no_verdict(
        self, interaction: discord.Interaction, embed: discord.Embed, buttons: render_ask.SuggestionRows
    ) -> None:
        """A no-verdict reply, to the asker only, with its suggestion buttons if any."""
        view = ReadyComponents(render_ask.suggestion_components(interaction.user.id, buttons)) if buttons else None
        await self._send(interaction, embed=embed, view=view, ephemeral=True)

    async def show_choice(self, interaction: discord.Interaction, choice: render_ask.Choice) -> None:
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

    async def show_section(self, interaction: discord.Interaction, key: str, owner_id: int, a: str, b: str) -> None:
        """A section button: show that section of the pair's answer against today's facts."""
        engine = await self._engine(interaction)
        today = discord.utils.utcnow().date()
        verdict = engine.pair(a, b, current_year=today.year)
        embed = render_ask.section_embed(key, engine.facts, verdict, engine.resolver, today)
        buttons = render_ask.section_components(owner_id, a, b, current=key)
        await interaction.response.edit_message(embed=embed, view=ReadyComponents(buttons))

    async def _refused_future_year(
        self, interaction: discord.Interaction, engine: AskEngine, year: int | None, current_year: int
    ) -> bool:
        """Refuse a future year with the usual private reply; True if it was refused."""
        if year is None or year <= current_year:
            return False
        await self._send_no_verdict(interaction, *self._no_verdict(engine, NoVerdict("future_year", year=year)))
        return True

    @staticmethod
    def _pair_record(engine: AskEngine, answer: PairAnswer, current_year: int) -> HistoryAnswer:
        verdict = answer.verdict
        when = When(RECORD_FIRST_YEAR, current_year, "", "ever")
        periods = engine.alliances.history(verdict.a, verdict.b, when.first, when.last, current_year=current_year)
        return HistoryAnswer(verdict.a, verdict.b, when, tuple(periods))

    def _pair_strip(
        self, engine: AskEngine, answer: PairAnswer, current_year: int
    ) -> tuple[render_allies.Picture, bytes | None]:
        """A past pair's record as a strip, drawn (blocking: run it in a worker thread).

        The PNG is None if drawing failed (logged): the answer goes out without it.
        """
        strip = render_allies.strip_picture(self._pair_record(engine, answer, current_year), engine.resolver)
        try:
            return strip, _draw(strip)
        except Exception:
            log.exception("could not draw the picture %r; sending the answer without it", strip.filename)
            return strip, None

    async def _picture_file(self, picture: render_allies.Picture, png: bytes | None = None) -> discord.File | None:
        """The picture as an attachment (``png`` if drawn already); a failure is logged and the text
        answer still goes out."""
        if png is None:
            try:
                png = _drawn(picture) or await asyncio.to_thread(_draw, picture)
            except Exception:
                log.exception("could not draw the picture %r; sending the answer without it", picture.filename)
                return None
        return discord.File(io.BytesIO(png), filename=picture.filename, description=picture.caption[:1024])

    async def _send(
        self,
        interaction: discord.Interaction,
        *,
        embed: discord.Embed,
        view: ReadyComponents | None = None,
        ephemeral: bool = False,
        picture: render_allies.Picture | None = None,
        png: bytes | None = None,
    ) -> None:
        # Mentions stay off through the bot's own default (client_options): nothing to pass here.
        kwargs: dict[str, Any] = {"embed": embed, "ephemeral": ephemeral}
        if outside_a_server(interaction):  # no server's own edits apply here: say whose facts these are
            embed = kwargs["embed"] = embed.copy()  # never change an embed we were given: it may be shared
            embed.set_footer(text=render_ask.bundled_footer(embed.footer.text))
        note = render_ask.english_note(_LANGUAGE.get())
        if note is not None:  # asked in another language: say, in it, that answers are in English for now
            kwargs["content"] = note
        claim = _CHECKING.get()
        if claim is not None:  # a fact-check from the message menu: say what was checked, privately
            checked = render_ask.checked_line(claim)
            kwargs |= {"content": f"{checked}\n{note}" if note else checked, "ephemeral": True}
            rows = [*(view.to_components() if view is not None else []), render_ask.post_row(interaction.user.id)]
            if len(rows) <= 5:  # Discord's limit of action rows
                view = ReadyComponents(rows)
        file = await self._picture_file(picture, png) if picture is not None else None
        if file is not None:
            embed = kwargs["embed"] = embed.copy()  # never change an embed we were given: it may be shared
            embed.set_image(url=f"attachment://{file.filename}")
            kwargs["file"] = file
        if view is not None:
            kwargs["view"] = view
        if interaction.response.is_done():
            await interaction.followup.send(**kwargs)
        else:
            await interaction.response.send_message(**kwargs)


def _drawn(picture: render_allies.Picture) -> bytes | None:
    """The picture if it is already drawn (cheap: no worker thread needed), else None."""
    if picture.kind == "map":
        return pictures.drawn_map_png(picture.title, picture.caption, dict(picture.groups))
    return pictures.drawn_strip_png(picture.title, picture.caption, picture.bands)


def _draw(picture: render_allies.Picture) -> bytes:
    """Draw the picture (blocking: run it in a worker thread)."""
    if picture.kind == "map":
        return pictures.alliance_map_png(picture.title, picture.caption, dict(picture.groups))
    return pictures.history_strip_png(picture.title, picture.caption, picture.bands)


async def setup(bot: AllianceBot) -> None:
    await bot.add_cog(Ask(bot))
