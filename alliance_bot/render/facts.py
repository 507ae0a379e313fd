"""Embeds, forms, buttons and text for /facts: showing, editing, history, import and export."""

from __future__ import annotations

import io
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import date
from typing import Any

import discord
import yaml

from ..domain.errors import UserError
from ..domain.facts import RELATIONSHIP_LABELS, FactModel, Problem, fill_computed
from ..domain.overlay import (
    FORMS,
    MAX_IMPORT_BYTES,
    FactVersion,
    FieldChange,
    ImportPlan,
    diff_facts,
    headline_of,
    state_after,
)
from . import (
    AUTOCOMPLETE_LIMIT,
    COLOUR_INFO,
    COLOUR_NO,
    COLOUR_WARN,
    COLOUR_YES,
    FIELD_VALUE_LIMIT,
    MESSAGE_LIMIT,
    MODAL_TITLE_LIMIT,
    SELECT_LABEL_LIMIT,
    BaseModal,
    BaseView,
    clip,
    footer_for,
    make_embed,
    person,
    source_text,
)

# --------------------------------------------------------------------------- plain strings

FACTS_GROUP_DESCRIPTION = "The facts the bot uses in this server: an entry, its source and its history"
UNKNOWN_FACT = "I have no entry `{fact_id}` in this server. Pick one from the suggestions."
HIDDEN_FACT = "`{fact_id}` is hidden in this server. A moderator can bring it back with `/manage facts revert`."
ALREADY_HIDDEN = "`{fact_id}` is already hidden in this server."
NOTHING_CHANGED = "Nothing changed: the entry is exactly as it was, so no new version was saved."
INVALID_CHANGE = "Not saved: {reason}"
CHANGED_MEANWHILE = (
    "Not saved: `{fact_id}` was changed by someone else while you were editing (now version {version}). "
    "Run the command again to start from the new version."
)
TOO_BIG_FOR_FORM = (
    "`{fact_id}` is too long to edit in a Discord form. Use `/manage facts export`, edit the file and `/manage facts import` it."
)
UNKNOWN_VERSION = "`{fact_id}` has no version {version} in this server; `/facts history` lists them."
ALREADY_AT_VERSION = "`{fact_id}` already reads as version {version}; nothing to revert."
NO_CHANGES_TO_EXPORT = "This server has no changes to the bundled facts yet, so there is nothing to export."
IMPORT_TOO_BIG = "That file is {size:,} bytes; an import can be at most {limit:,} bytes (256 KB)."
IMPORT_NOT_TEXT = "That file is not UTF-8 text. Export a file with `/manage facts export` to see the expected format."
IMPORT_NOTHING = "Nothing to import: every entry in `{file}` already reads exactly like that here."
IMPORT_CANCELLED = "Import cancelled; nothing was changed."
REMOVE_CANCELLED = "Kept `{fact_id}`; nothing was changed."
AUDIT_SET = "Fact changes in this server will be posted to {channel} as one-line summaries."
AUDIT_OFF = "Fact changes in this server will no longer be posted anywhere."
AUDIT_UNAVAILABLE = "I can't post in {channel}; give me Send Messages there, or pick another channel."
HIDDEN_SUGGESTION = "(hidden in this server)"

FIELD_LABELS = {
    "headline": "Headline (the verdict)",
    "summary": "Summary",
    "label": "Label",
    "source": "Sources, one a line: name | url | citing X",
    "as_of": "As of (YYYY, YYYY-MM or YYYY-MM-DD)",
    "value": "Value as shown (e.g. 2,500+)",
    "number": "Number, for quizzes (e.g. 2500)",
    "more": "Other fields (YAML)",
    "title": "Title",
    "impact": "Impact",
    "date": "Date (YYYY, YYYY-MM or YYYY-MM-DD)",
    "question": "Question",
    "answer": "Answer",
    "paraphrases": "Other ways to ask it (one per line)",
    "choices": "Choices, one per line; star the right one",
    "explanation": "Explanation",
    "us_action": "US action",
    "russian_response": "Russian response",
    "view": "View",
    "quote": "Quote",
    "quote_source": "Who said it",
    "text": "Text",
    "description": "Description",
}
RELATIONSHIP_LABEL_HINT = "treaty_allies, close_partners, partners, rivals, adversaries"
# Labels that read better for one kind of entry than the general ones above (at most 45 characters).
KIND_FIELD_LABELS: dict[tuple[str, str], str] = {
    ("relationship", "label"): "Relationship (e.g. rivals)",
    ("relationship", "summary"): "The answer in a few sentences",
    ("timeline", "title"): "What happened (a short title)",
    ("timeline", "impact"): "Why it matters",
    ("timeline", "date"): "When (YYYY, YYYY-MM or YYYY-MM-DD)",
    ("faq", "question"): "The question, as people ask it",
    ("faq", "answer"): "The answer",
    ("quiz", "question"): "The question",
    ("quiz", "explanation"): "Why that answer is right",
    ("figure", "label"): "What it counts",
    ("figure", "detail"): "The figure in one sentence",
    ("perspective", "view"): "Their view in a few words",
    ("point", "text"): "The point",
    ("alliance", "name"): "Full name",
    ("alliance", "short_name"): "Short name (e.g. NATO)",
    ("tie", "name"): "The tie's official name",
    ("tie", "summary"): "What it means, in a few sentences",
    ("atop_check", "status"): "Status: in force, ended or changed",
    ("atop_check", "summary"): "What happened since 2018",
    ("war", "name"): "The war's name",
    ("war", "summary"): "The war in a few sentences",
}
PLACEHOLDERS: dict[str, str] = {
    "as_of": "e.g. 2024-03",
    "date": "e.g. 1991-12-26",
    "source": "Reuters | https://… (one source a line)",
    "choices": "1945\n* 1949\n1955",
    "value": "e.g. 2,500+",
}
# Where the schema's own complaints land in the form: its field names, by the input that holds them.
SCHEMA_TO_INPUT = {"sources": "source", "year": "date", "month": "date", "day": "date", "answer": "choices"}
FORM_REJECTED = "Not saved. Fix what is marked and try again: nothing you typed is lost, **Edit again** reopens the form."
EDIT_AGAIN = "Edit again"


def field_label(kind: str, key: str) -> str:
    """An input's label in words, for the form and for the errors that name it."""
    return KIND_FIELD_LABELS.get((kind, key)) or FIELD_LABELS.get(key) or key.replace("_", " ").capitalize()


def form_problems(kind: str, reasons: str) -> list[str]:
    """Each reason a form was refused, naming the input by its label: "**As of**: write it as …".

    ``reasons`` is the domain's "field: what is wrong; field: …" text.
    """
    inputs = {spec.key for spec in FORMS.get(kind, ())}
    lines = []
    for reason in (part.strip() for part in reasons.split("; ")):
        if not reason:
            continue
        field, sep, message = reason.partition(": ")
        key = SCHEMA_TO_INPUT.get(field.split(".", 1)[0], field.split(".", 1)[0]) if sep else ""
        if sep and key in inputs:
            lines.append(f"• **{field_label(kind, key)}**: {message}")
        else:
            lines.append(f"• {reason}")
    return lines


def form_rejected_text(kind: str, reasons: str) -> str:
    return clip("\n".join([FORM_REJECTED, *form_problems(kind, reasons)]), MESSAGE_LIMIT - 5)


class FormRejected(UserError):
    """A refused form: its message, and the Edit again button that reopens it with the draft."""

    def __init__(self, message: str, view: discord.ui.View) -> None:
        super().__init__(message)
        self.view = view


class EditAgainView(BaseView):
    """One button under a refused form: reopen it with everything that was typed."""

    def __init__(self, *, owner_id: int, on_click: Callable[[discord.Interaction], Awaitable[None]]) -> None:
        super().__init__(owner_id=owner_id, timeout=900)
        button: discord.ui.Button[EditAgainView] = discord.ui.Button(label=EDIT_AGAIN, style=discord.ButtonStyle.primary)

        async def clicked(interaction: discord.Interaction) -> None:
            await on_click(interaction)

        button.callback = clicked  # type: ignore[method-assign]
        self.add_item(button)

KIND_NAMES = {
    "relationship": "relationship verdict",
    "figure": "figure",
    "timeline": "timeline event",
    "faq": "FAQ",
    "quiz": "quiz question",
    "economic": "economic measure",
    "perspective": "expert perspective",
    "point": "answer point",
    "alliance": "alliance",
    "tie": "present-day tie",
    "atop_check": "check of a 2018 alliance",
    "war": "war",
}
ACTION_VERBS = {
    "edit": "edited",
    "add": "added",
    "hide": "hid",
    "revert": "reverted",
    "import": "imported",
}
_MAIN_TEXT = ("summary", "answer", "impact", "detail", "text", "description", "explanation", "view")
# The order headline_of uses to name an entry.
_TITLE_KEYS = ("headline", "question", "title", "label", "name", "perspective", "us_action")
# Field names in /facts show, in words (others are the schema's name with spaces).
SHOW_LABELS = {
    "us_action": "US action",
    "russian_response": "Russian response",
    "quote_source": "Who said it",
    "pair": "Countries",
    "label": "Relationship",
    "number": "Number (for quizzes)",
    "short_name": "Short name",
    "treaty_kind": "Kind of treaty",
    "headline": "Among the headline figures",
}


def _member_text(item: Mapping[str, Any]) -> str:
    """One member of an alliance: its country code, the years it joined (and left), any note."""
    text = str(item["code"])
    years = "–".join(str(item[key]) for key in ("joined", "left") if item.get(key) is not None)
    extras = ", ".join(part for part in (years, str(item.get("note") or "")) if part)
    return f"{text} ({extras})" if extras else text


def _field_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool | int | float):
        return str(value)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return "\n".join(f"• {item}" for item in value)
    return yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=80, default_flow_style=True).strip()


def _when(version: FactVersion) -> str:
    return f"<t:{int(version.created_at.timestamp())}:f>"


# --------------------------------------------------------------------------- show


def status_text(latest: FactVersion | None, origin: str | None, names: Mapping[int, str] | None = None) -> str:
    """Whether a server sees the bundled entry or its own version, and since when."""
    if latest is None or latest.state == "bundled":
        where = f" (`{origin}`)" if origin else ""
        return f"Bundled version{where}, the same in every server."
    by = person(latest.author_id, names or {})
    return f"This server's version {latest.version}: {ACTION_VERBS[latest.action]} by {by} {_when(latest)}."


def fact_embed(fact: FactModel, status: str, today: date) -> discord.Embed:
    """One entry as this server sees it: its fields, sources, "as of" and where it comes from."""
    raw = fact.model_dump(mode="json", exclude_none=True)
    # The body is the entry's main text (a quiz's answer is a number, not text); the title is the
    # same line headline_of picks, so neither repeats as a field.
    main_key = next((key for key in _MAIN_TEXT if isinstance(raw.get(key), str) and raw[key]), None)
    description = fill_computed(str(raw[main_key]), today) if main_key else ""
    fields: list[tuple[str, str]] = []
    title_key = next((key for key in _TITLE_KEYS if isinstance(raw.get(key), str) and raw[key]), None)
    for key, value in raw.items():
        if key in ("id", "kind", "sources", "as_of", main_key, title_key):
            continue
        if value in ("", [], {}):  # an optional list left empty (no paraphrases) is not worth a field
            continue
        text = _field_text(value)
        if key == "answer" and fact.kind == "quiz":
            text = f"{value + 1}. {fact.choices[value]}"  # type: ignore[union-attr]
        elif key == "choices":
            text = "\n".join(f"{index + 1}. {choice}" for index, choice in enumerate(value))
        elif key == "label" and fact.kind == "relationship":
            text = RELATIONSHIP_LABELS.get(str(value), str(value))
        elif isinstance(value, bool):
            text = "yes" if value else "no"
        elif key == "treaty_kind":
            text = str(value).replace("_", " ")
        elif key == "pair":
            text = " and ".join(str(code) for code in value)
        elif isinstance(value, list) and value and all(isinstance(item, dict) and "code" in item for item in value):
            text = ", ".join(_member_text(item) for item in value)
        fields.append((SHOW_LABELS.get(key, key.replace("_", " ").capitalize()), fill_computed(text, today)))
    fields.append(("Source", source_text(fact.sources)))
    fields.append(("In this server", status))
    return make_embed(
        f"{KIND_NAMES.get(fact.kind, fact.kind).capitalize()}: {fill_computed(headline_of(fact), today)}",
        description,
        fields=fields,
        footer=footer_for(fact.as_of, f"id {fact.id}"),
    )


# --------------------------------------------------------------------------- forms


class FactFormModal(BaseModal):
    """The edit/add form for one kind of entry: its inputs are the kind's editable fields."""

    def __init__(
        self,
        *,
        title: str,
        kind: str,
        values: Mapping[str, str],
        on_submit: Callable[[discord.Interaction, dict[str, str]], Awaitable[None]],
        timeout: float = 900,
    ) -> None:
        super().__init__(title=clip(title, MODAL_TITLE_LIMIT), timeout=timeout)
        self._callback = on_submit
        self._inputs: dict[str, discord.ui.TextInput[Any]] = {}
        for spec in FORMS[kind]:
            text = values.get(spec.key, "")
            placeholder = RELATIONSHIP_LABEL_HINT if (kind, spec.key) == ("relationship", "label") else PLACEHOLDERS.get(spec.key)
            item: discord.ui.TextInput[Any] = discord.ui.TextInput(
                label=field_label(kind, spec.key),
                custom_id=spec.key,
                style=discord.TextStyle.paragraph if spec.long else discord.TextStyle.short,
                default=text or None,
                placeholder=placeholder,
                required=spec.required,
                max_length=spec.max_length,
            )
            self._inputs[spec.key] = item
            self.add_item(item)

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self._callback(interaction, {key: item.value for key, item in self._inputs.items()})


def edit_title(fact_id: str) -> str:
    return f"Edit {fact_id}"


def add_title(kind: str) -> str:
    return f"New {KIND_NAMES.get(kind, kind)}"


# --------------------------------------------------------------------------- changes


def _change_value(change: FieldChange) -> str:
    half = (FIELD_VALUE_LIMIT - 30) // 2
    before = clip(change.before, half) if change.before is not None else "(none)"
    after = clip(change.after, half) if change.after is not None else "(none)"
    return f"**Before:** {before}\n**After:** {after}"


def change_embed(
    fact_id: str, version: FactVersion, before: FactModel | None, after: FactModel | None
) -> discord.Embed:
    """A saved change: what it did and every field before and after."""
    changes = diff_facts(before, after)
    verb = ACTION_VERBS[version.action]
    if version.state == "hidden":
        summary = f"`{fact_id}` is now hidden in this server. Nothing is lost: `/manage facts revert` brings it back."
    elif after is None:
        summary = f"`{fact_id}` no longer exists in this server (it was added here, not bundled)."
    else:
        summary = f"Saved as version {version.version}. Other servers are not affected."
    fields = [(change.field.replace("_", " ").capitalize(), _change_value(change)) for change in changes]
    footer = footer_for(after.as_of, f"id {fact_id}") if after is not None else f"id {fact_id}"
    return make_embed(f"{verb.capitalize()} {fact_id}", summary, colour=COLOUR_YES, fields=fields, footer=footer)


def change_done_text(fact_id: str, version: FactVersion) -> str:
    """A saved change in one line, for when Discord refused the full reply (see ``reply_after_change``)."""
    if version.state == "hidden":
        return f"`{fact_id}` is now hidden in this server (version {version.version}); `/manage facts revert` brings it back."
    return (
        f"Saved `{fact_id}` as version {version.version} in this server. "
        f"Discord did not accept my full reply; `/facts history` shows the change."
    )


def history_embed(
    fact_id: str,
    versions: Sequence[FactVersion],
    bundled: FactModel | None,
    origin: str | None,
    names: Mapping[int, str],
) -> discord.Embed:
    """Every version of one entry in this server, oldest first, with what each changed."""
    where = f" (`{origin}`)" if origin else ""
    lines = [f"**v0** · bundled{where}" if bundled is not None else "**v0** · did not exist (not a bundled entry)"]
    previous = bundled
    current = versions[-1].version if versions else 0
    for version in versions:
        state = state_after(version, bundled)
        if version.state == "hidden":
            what = "hidden"
        elif version.action == "revert":
            what = f"back to v{version.reverted_to}"
        else:
            changed = [change.field for change in diff_facts(previous, state)]
            what = "changed " + ", ".join(changed) if changed else "no field changed"
        by = person(version.author_id, names)
        line = f"**v{version.version}** · {ACTION_VERBS[version.action]} by {by} {_when(version)} · {what}"
        lines.append(line)
        previous = state
    lines[current] += " ← current"
    # Keep the newest lines if there are too many for one embed.
    text = "\n".join(lines)
    while len(text) > 4000 and len(lines) > 2:
        lines.pop(1)
        text = "…\n" + "\n".join(lines)
    return make_embed(
        f"History of {fact_id}",
        text,
        fields=[("Going back", "Moderators: `/manage facts revert` with a version number makes it current again, as a new version.")],
    )


def audit_line(version: FactVersion, after: FactModel | None, names: Mapping[int, str]) -> str:
    """The one-line summary of a change for the audit channel."""
    if version.state == "hidden":
        what = "hid it"
    elif after is None:
        what = "removed it (back to the bundled data)"
    else:
        what = clip(headline_of(after), 200)
    return clip(
        f"📝 {person(version.author_id, names, mention=True)} {ACTION_VERBS[version.action]} `{version.fact_id}` (v{version.version}): {what}",
        MESSAGE_LIMIT,
    )


def audit_batch_line(versions: Sequence[FactVersion], names: Mapping[int, str] | None = None) -> str:
    """One audit line for many changes saved at once (an import), naming as many ids as fit."""
    first = versions[0]
    head = f"📝 {person(first.author_id, names or {}, mention=True)} {ACTION_VERBS[first.action]} {len(versions)} entries: "
    ids: list[str] = []
    budget = MESSAGE_LIMIT - len(head) - 40
    for version in versions:
        item = f"`{version.fact_id}` (v{version.version})"
        if len(item) + 2 > budget:
            break
        ids.append(item)
        budget -= len(item) + 2
    rest = len(versions) - len(ids)
    return clip(head + ", ".join(ids) + (f" and {rest} more" if rest else ""), MESSAGE_LIMIT)


# --------------------------------------------------------------------------- remove / revert


def remove_prompt(fact: FactModel) -> str:
    return clip(
        f"Hide **{headline_of(fact)}** (`{fact.id}`) in this server? "
        "Answers, quizzes and the timeline here will stop using it. It stays in the history and "
        "`/manage facts revert` brings it back.",
        MESSAGE_LIMIT,
    )


# --------------------------------------------------------------------------- import / export


def export_file(guild_id: int, text: str) -> discord.File:
    return discord.File(io.BytesIO(text.encode("utf-8")), filename=f"facts-{guild_id}.yaml")


def export_text(count: int) -> str:
    return f"This server's {count} change(s), in the bundled schema. `/manage facts import` reads the same file."


def kind_full(kind: str, cap: str) -> str:
    return f"Not saved: {cap}, and this server has that many {kind} entries already. Hide one first."


def import_too_big(size: int) -> str:
    return IMPORT_TOO_BIG.format(size=size, limit=MAX_IMPORT_BYTES)


def import_problems_text(file: str, problems: Sequence[Problem]) -> str:
    """Every problem an import file has; nothing was changed."""
    lines = [f"Nothing was imported: `{file}` has {len(problems)} problem(s)."]
    lines += [f"• entry {problem.entry}: {problem.message}" for problem in problems]
    text = "\n".join(lines)
    return clip(text, MESSAGE_LIMIT - 5)


def import_summary_embed(file: str, plan: ImportPlan) -> discord.Embed:
    """What an import would change, for a Confirm/Cancel decision."""
    summary = (
        f"`{file}` would add {plan.count('add')}, edit {plan.count('edit')} and hide {plan.count('hide')} "
        f"entr{'y' if len(plan.changes) == 1 else 'ies'}; {len(plan.unchanged)} already read like that here. "
        "Confirm applies all of it at once; Cancel changes nothing."
    )
    lines = []
    for change in plan.changes:
        fact = change.after or change.before
        head = clip(headline_of(fact), 80) if fact is not None else ""
        lines.append(f"• **{change.change}** `{change.fact_id}`: {head}")
    return make_embed("Import facts?", summary + "\n\n" + "\n".join(lines), colour=COLOUR_WARN)


def import_done_text(plan: ImportPlan) -> str:
    return f"Imported: {plan.count('add')} added, {plan.count('edit')} edited, {plan.count('hide')} hidden."


# --------------------------------------------------------------------------- reload


def reload_ok_text(counts: Mapping[str, int]) -> str:
    summary = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
    return f"Bundled facts reloaded. Now serving {summary}."


def reload_ok_embed(counts: Mapping[str, int]) -> discord.Embed:
    return make_embed("Bundled facts reloaded", reload_ok_text(counts).split(". ", 1)[1], colour=COLOUR_YES)


def reload_failed_embed(problems: Sequence[Problem]) -> discord.Embed:
    text = "\n".join(f"• {problem}" for problem in problems)
    return make_embed(
        f"Reload refused: {len(problems)} problem(s)",
        "Still serving the previous data. Fix these and run `/manage facts reload` again:\n" + text,
        colour=COLOUR_NO,
    )


# --------------------------------------------------------------------------- autocomplete


def fact_choices(matches: Sequence[tuple[str, str | None]]) -> list[discord.app_commands.Choice[str]]:
    """Autocomplete choices: id and headline, at most 25."""
    choices = []
    for fact_id, head in matches[:AUTOCOMPLETE_LIMIT]:
        name = clip(f"{fact_id} · {head if head is not None else HIDDEN_SUGGESTION}", SELECT_LABEL_LIMIT)
        choices.append(discord.app_commands.Choice(name=name, value=fact_id))
    return choices


# --------------------------------------------------------------------------- buttons


class ConfirmView(BaseView):
    """Confirm/Cancel for the moderator who asked; the callbacks re-check permissions."""

    def __init__(
        self,
        *,
        owner_id: int,
        confirm_label: str,
        on_confirm: Callable[[discord.Interaction], Awaitable[None]],
        on_cancel: Callable[[discord.Interaction], Awaitable[None]],
        danger: bool = False,
        timeout: float = 300,
    ) -> None:
        super().__init__(owner_id=owner_id, timeout=timeout)
        self._on_confirm = on_confirm
        self._on_cancel = on_cancel
        confirm: discord.ui.Button[ConfirmView] = discord.ui.Button(
            label=confirm_label, style=discord.ButtonStyle.danger if danger else discord.ButtonStyle.success
        )
        cancel: discord.ui.Button[ConfirmView] = discord.ui.Button(label="Cancel", style=discord.ButtonStyle.secondary)
        confirm.callback = self._confirm  # type: ignore[method-assign]
        cancel.callback = self._cancel  # type: ignore[method-assign]
        self.add_item(confirm)
        self.add_item(cancel)

    async def _confirm(self, interaction: discord.Interaction) -> None:
        await self._on_confirm(interaction)
        self.stop()

    async def _cancel(self, interaction: discord.Interaction) -> None:
        await self._on_cancel(interaction)
        self.stop()


def info_embed(title: str, text: str) -> discord.Embed:
    return make_embed(title, text, colour=COLOUR_INFO)
