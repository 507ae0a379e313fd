"""The rendering module: every Embed, View, Modal and user-visible string lives under here.

Feature renderers live in submodules (``render.ask``, ``render.quiz``, ``render.timeline``,
``render.facts``); this file holds what they share: Discord's size limits, clipping, source
and "as of" lines, error replies, and the base View and Modal classes that route their errors
through the bot's one error path.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import discord

from ..domain.errors import UserError
from ..domain.facts import Source, format_as_of
from ..domain.privacy import FORGOTTEN

log = logging.getLogger(__name__)

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
MESSAGE_LIMIT = 2000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FIELD_COUNT_LIMIT = 25
FOOTER_LIMIT = 2048
EMBED_TOTAL_LIMIT = 6000
BUTTON_LABEL_LIMIT = 80
SELECT_OPTION_LIMIT = 25
SELECT_LABEL_LIMIT = 100
AUTOCOMPLETE_LIMIT = 25
MODAL_TITLE_LIMIT = 45

ELLIPSIS = "…"

COLOUR_YES = discord.Colour.green()
COLOUR_NO = discord.Colour.red()
COLOUR_INFO = discord.Colour.blurple()
COLOUR_WARN = discord.Colour.orange()

NO_MENTIONS = discord.AllowedMentions.none()


def clip(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters, ending with an ellipsis if cut."""
    text = text.strip()
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + ELLIPSIS


def embed_length(embed: discord.Embed) -> int:
    return len(embed)


def make_embed(
    title: str,
    description: str = "",
    *,
    colour: discord.Colour = COLOUR_INFO,
    fields: Iterable[tuple[str, str]] = (),
    inline_fields: Iterable[tuple[str, str]] = (),
    footer: str | None = None,
    url: str | None = None,
) -> discord.Embed:
    """Build an embed that always fits Discord's limits, clipping each part and the total."""
    embed = discord.Embed(
        title=clip(title, TITLE_LIMIT),
        description=clip(description, DESCRIPTION_LIMIT) or None,
        colour=colour,
        url=url,
    )
    budget = EMBED_TOTAL_LIMIT - len(embed.title or "") - len(embed.description or "")
    if footer:
        footer = clip(footer, min(FOOTER_LIMIT, max(budget, 0)))
        budget -= len(footer)
        embed.set_footer(text=footer)
    count = 0  # counted here: ``embed.fields`` builds a proxy of every field on each read
    for inline, group in ((False, fields), (True, inline_fields)):
        for name, value in group:
            if count >= FIELD_COUNT_LIMIT:
                break
            name = clip(name, FIELD_NAME_LIMIT) or "\u200b"
            value = clip(value, FIELD_VALUE_LIMIT) or "\u200b"
            if len(name) + len(value) > budget:
                break
            budget -= len(name) + len(value)
            embed.add_field(name=name, value=value, inline=inline)
            count += 1
    return embed


class SharedEmbed(discord.Embed):
    """An embed kept and sent many times (``render.ask.RenderedReplies``): its payload is built once.

    discord.py builds an embed's payload on every send (``to_dict``, about 4 µs for an /ask
    answer). A shared embed is never changed after it is kept, so its first payload serves
    every send; ``copy()`` gives an ordinary Embed to change. (No ``__slots__`` here: discord.py
    compares embeds slot by slot through ``self.__slots__``.)
    """

    @classmethod
    def of(cls, embed: discord.Embed) -> SharedEmbed:
        return cls.from_dict(embed.to_dict())

    def to_dict(self) -> Any:
        payload = self.__dict__.get("_payload")
        if payload is None:
            payload = self.__dict__["_payload"] = super().to_dict()
        return payload

    def copy(self) -> discord.Embed:  # type: ignore[override]
        return discord.Embed.from_dict(super().to_dict())


def source_domain(url: str | None) -> str:
    """The site a link goes to, as people read it: 'nato.int', 'state.gov'."""
    if not url:
        return ""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def source_label(name: str, url: str | None) -> str:
    """A source's visible name, with its site shown unless the name already says it."""
    name = name.replace("[", "(").replace("]", ")")
    domain = source_domain(url)
    if domain and domain not in name.casefold():
        name = f"{domain} — {name}"
    return name


def source_text(sources: Sequence[Source], limit: int = FIELD_VALUE_LIMIT) -> str:
    """Sources as a compact list: linked names showing their site, each source named once.

    The list always ends on a complete link: what does not fit is counted ("… and 3 more sources").
    """
    # Kept by what is shown (name, link, what it cites): every answer citing the same sources reuses
    # the text without parsing each link again, and an edited source is a different key.
    return _source_text(tuple([(source.name, source.url, source.cites) for source in sources]), limit)


@functools.lru_cache(maxsize=2048)
def _source_text(sources: tuple[tuple[str, str | None, str | None], ...], limit: int) -> str:
    cited: dict[tuple[str, str | None], list[str]] = {}
    for name, url, cite in sources:
        cites = cited.setdefault((name, url), [])
        if cite and cite not in cites:
            cites.append(cite)
    parts = []
    for (name, url), cites in cited.items():
        label = source_label(name, url)
        suffix = f" (citing {'; '.join(cites)})" if cites else ""
        parts.append((label, url, suffix))
    out: list[str] = []
    used = 0
    for index, (label, url, suffix) in enumerate(parts):
        remaining = len(parts) - index - 1
        reserve = len(f" · … and {remaining} more sources") if remaining else 0
        room = limit - used - (3 if out else 0) - reserve
        fixed = len(f"[](<{url}>)") if url else 0
        text_room = room - fixed - len(suffix)
        if text_room < min(len(label), 24):
            if not out and room > fixed + 8:  # the first source always shows, its name shortened
                label = clip(label, room - fixed)
                out.append(f"[{label}](<{url}>)" if url else label)
            more = len(parts) - len(out)
            if more:
                out.append(f"… and {more} more source{'s' if more != 1 else ''}")
            break
        label = clip(label, text_room)
        piece = (f"[{label}](<{url}>)" if url else label) + suffix
        out.append(piece)
        used += len(piece) + (3 if len(out) > 1 else 0)
    return " · ".join(out)


def as_of_text(as_of: str) -> str:
    return f"as of {format_as_of(as_of)}"


def footer_for(as_of: str, extra: str | None = None) -> str:
    """The standard footer: the "as of" date, plus an optional note."""
    text = f"Facts {as_of_text(as_of)}"
    return f"{text} · {extra}" if extra else text


FORMER_MEMBER = "a former member"


def person(user_id: int, names: Mapping[int, str], *, mention: bool = False) -> str:
    """A member as readers see them: their stored display name (with their mention beside it when
    asked), or the bare mention for someone the bot never saw act; "a former member" for the id
    left on shared records by /privacy forget."""
    if user_id == FORGOTTEN:
        return FORMER_MEMBER
    name = names.get(user_id)
    if name is None:
        return f"<@{user_id}>"
    safe = discord.utils.escape_mentions(discord.utils.escape_markdown(name))
    return f"{safe} (<@{user_id}>)" if mention else safe


def channel_name(name: str | None, channel_id: int) -> str:
    """A channel as readers see it: #name, or a note when the channel no longer exists."""
    return f"#{name}" if name else f"a deleted channel ({channel_id})"


def error_text(message: str) -> str:
    """A short user-facing error line."""
    return clip(f"⚠️ {message}", MESSAGE_LIMIT)


# ------------------------------------------------------------------------- shared messages

GENERIC_FAILURE = "Something went wrong on our side. It has been logged; please try again in a moment."
STORAGE_FAILURE = (
    "My database refused to save that, so **nothing was recorded**. It has been logged; "
    "please try again in a few minutes."
)
UNSTORABLE_TEXT = "That text has a character I can't store (a broken or control character). Please retype it."
EXPIRED_COMPONENT = "These buttons have expired. Run the command again for fresh ones."
EXPIRED_MODAL = "This form has expired. Run the command again to open a fresh one."
NOT_YOUR_VIEW = "Only the person who ran this command can use these buttons. Run it yourself to get your own."
NEEDS_MANAGE_GUILD = "Only moderators (Manage Server permission) can do that."
GUILD_ONLY = "This command works only inside a server."
OWNER_ONLY = "Only the bot's owner can do that."


def discord_refused_text(error: discord.HTTPException) -> str:
    """What the user hears when Discord refused the bot's reply (or another call made for them)."""
    if error.status == 429:
        return "Discord did not accept my reply (it is rate-limiting me), so I could not answer. Please try again in a minute."
    return f"Discord did not accept my reply (error {error.status}), so I could not answer. Please try again in a moment."


def cooldown_text(retry_after: float) -> str:
    return f"Slow down a little: try again in {retry_after:.0f}s."


# ------------------------------------------------------------------------- base UI classes


async def send_ephemeral(interaction: discord.Interaction, content: str, **kwargs: Any) -> None:
    """Reply ephemerally, as a followup when the interaction was already answered."""
    kwargs.setdefault("allowed_mentions", NO_MENTIONS)
    if interaction.response.is_done():
        await interaction.followup.send(content, ephemeral=True, **kwargs)
    else:
        await interaction.response.send_message(content, ephemeral=True, **kwargs)


async def reply_after_change(send: Awaitable[Any], done: str) -> None:
    """Send the reply to a change that is already saved; if Discord refuses it, say through the one
    error path what was done (``done``), so nobody repeats a change that in fact happened."""
    try:
        await send
    except discord.HTTPException as error:
        raise UserError(done) from error


async def owner_may_use(interaction: discord.Interaction, owner_id: int | None) -> bool:
    """True if this user may use a control owned by ``owner_id`` (None: anyone); else say so, ephemerally."""
    if owner_id is not None and interaction.user.id != owner_id:
        await send_ephemeral(interaction, NOT_YOUR_VIEW)
        return False
    return True


def loaded_cog(interaction: discord.Interaction, name: str) -> Any:
    """The bot's cog ``name``, for a button that hands its click to it (an error if it is not loaded)."""
    cog = getattr(interaction.client, "get_cog", lambda _: None)(name)
    if cog is None:
        raise RuntimeError(f"the {name} cog is not loaded")
    return cog


class BaseView(discord.ui.View):
    """A view whose errors go through the bot's one error path and which disables itself on timeout.

    With ``owner_id`` set, only that user may use it; others get a short ephemeral note.
    Set ``message`` after sending so the timeout can edit it.
    """

    def __init__(self, *, owner_id: int | None = None, timeout: float | None = 600) -> None:
        super().__init__(timeout=timeout)
        self.owner_id = owner_id
        self.message: discord.Message | discord.InteractionMessage | None = None

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return await owner_may_use(interaction, self.owner_id)

    async def attach(self, interaction: discord.Interaction) -> None:
        """Remember the reply this view was sent with, so its timeout can disable it.

        Fetching the reply is a second call to Discord; if it fails the reply is still shown and
        works, so that is no reason to tell the user something went wrong.
        """
        try:
            self.message = await interaction.original_response()
        except discord.HTTPException:
            log.info("could not fetch the reply a view was sent with; it will not be disabled on timeout")

    def disable_all(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button | discord.ui.Select):
                item.disabled = True

    async def on_timeout(self) -> None:
        self.disable_all()
        message = self.message
        if message is None:
            return
        try:
            await message.edit(view=self)
            return
        except discord.HTTPException:
            # An interaction's token expires after 15 minutes; a public reply can still be
            # edited as an ordinary message of the bot's (an ephemeral one cannot).
            if message.flags.ephemeral:
                log.debug("could not disable an expired ephemeral view", exc_info=True)
                return
        channel = message.channel
        if not hasattr(channel, "get_partial_message"):
            return
        try:
            await channel.get_partial_message(message.id).edit(view=self)
        except discord.HTTPException:
            log.debug("could not disable an expired view", exc_info=True)

    async def on_error(self, interaction: discord.Interaction, error: Exception, item: discord.ui.Item[Any]) -> None:
        await report_error(interaction, error)


class ReadyComponents(discord.ui.View):
    """A component payload built ahead (and possibly shared), sent as a view nothing listens to.

    For buttons that are lean dynamic items (``AllianceBot.add_lean_dynamic_items``): their
    custom_id carries all a click needs, so no View has to live per message. This one is stopped
    before it is sent: discord.py keeps a stopped view nowhere and starts no timeout for it.
    """

    def __init__(self, components: list[dict[str, Any]]) -> None:
        super().__init__(timeout=None)
        self._components = components
        self.stop()

    def to_components(self) -> list[dict[str, Any]]:
        return self._components


class BaseModal(discord.ui.Modal):
    """A modal whose errors go through the bot's one error path."""

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await report_error(interaction, error)


async def report_error(interaction: discord.Interaction, error: BaseException) -> None:
    """Hand an error to the bot's one error path (``AllianceBot.handle_interaction_error``)."""
    handler = getattr(interaction.client, "handle_interaction_error", None)
    if handler is None:  # pragma: no cover - only for foreign clients
        log.error("unhandled interaction error", exc_info=error)
        return
    await handler(interaction, error)
