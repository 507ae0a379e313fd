"""A server's changes to the bundled facts: versions, the overlay they form, validation, diff, YAML.

Pure Python: no Discord, no SQL. Every change a moderator makes is a new version of one fact in
one server; the overlay is what the latest versions say (a replacement fact, a hidden fact, or
"back to the bundled entry"). Edits, additions and imports are validated with the same schema as
the bundled data (``facts.parse_fact``) plus limits that keep an entry displayable on Discord.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import yaml

from .errors import UserError
from .facts import (
    FactBase,
    FactModel,
    Problem,
    YamlTooComplex,
    dump_facts,
    load_yaml_text,
    parse_fact,
    safe_load_bounded,
)

Action = Literal["edit", "add", "hide", "revert", "import"]
ACTIONS: tuple[Action, ...] = ("edit", "add", "hide", "revert", "import")
ADDABLE_KINDS = ("faq", "timeline", "figure", "quiz")

# Discord-friendly limits on top of the schema's own field limits.
MAX_ENTRY_CHARS = 5000  # all text of one entry: fits one embed (6000) with room for labels
MAX_IMPORT_BYTES = 256 * 1024
MAX_IMPORT_ENTRIES = 500
# Entries of one kind a server can have, bundled ones included: keeps every per-server computation
# (quiz generation, /ask's index, the timeline) small enough never to stall the bot for other servers.
MAX_ENTRIES_PER_KIND = 500
MODAL_INPUT_LIMIT = 4000
MAX_INPUTS_PER_MODAL = 5

# --------------------------------------------------------------------------- versions


@dataclass(frozen=True)
class FactVersion:
    """One stored version of one fact in one server.

    ``body`` is the fact's JSON mapping; None means hidden (``hidden``) or, for a revert to
    version 0, "the bundled entry again" (``hidden`` false).
    """

    guild_id: int
    fact_id: str
    version: int
    action: Action
    body: Mapping[str, Any] | None
    hidden: bool
    author_id: int
    created_at: datetime
    reverted_to: int | None = None

    @property
    def state(self) -> Literal["custom", "hidden", "bundled"]:
        if self.body is not None:
            return "custom"
        return "hidden" if self.hidden else "bundled"


@dataclass(frozen=True)
class NewVersion:
    """A version about to be stored: the fact after the change, or None with ``hidden``."""

    fact_id: str
    action: Action
    fact: FactModel | None
    hidden: bool = False
    reverted_to: int | None = None

    def body_json(self) -> str | None:
        return None if self.fact is None else fact_json(self.fact)


def fact_json(fact: FactModel) -> str:
    """The canonical JSON text of a fact, as stored."""
    return json.dumps(fact.model_dump(mode="json", exclude_none=True), ensure_ascii=False, sort_keys=True)


def compute_overlay(latest: Iterable[FactVersion]) -> tuple[dict[str, FactModel | None], list[Problem]]:
    """The overlay ``{id: fact or None (hidden)}`` from each fact's latest version.

    A stored body that no longer passes the schema (after a schema change) is left out and
    reported, so the server falls back to the bundled entry instead of failing.
    """
    overlay: dict[str, FactModel | None] = {}
    problems: list[Problem] = []
    for version in latest:
        if version.state == "hidden":
            overlay[version.fact_id] = None
        elif version.state == "custom":
            try:
                overlay[version.fact_id] = parse_fact(dict(version.body or {}))
            except ValueError as error:
                problems.append(Problem(f"guild {version.guild_id}", f"'{version.fact_id}' v{version.version}", str(error)))
    return overlay, problems


def state_after(version: FactVersion | None, bundled: FactModel | None) -> FactModel | None:
    """The fact a server sees given its latest version (None: hidden or absent)."""
    if version is None or version.state == "bundled":
        return bundled
    if version.state == "hidden":
        return None
    return parse_fact(dict(version.body or {}))


# --------------------------------------------------------------------------- validation


def _text_size(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, Mapping):
        return sum(_text_size(v) for v in value.values())
    if isinstance(value, list | tuple):
        return sum(_text_size(v) for v in value)
    return len(str(value))


def check_discord_limits(fact: FactModel) -> None:
    """Refuse an entry too long to show on Discord in one embed."""
    size = _text_size(fact.model_dump(mode="json", exclude_none=True))
    if size > MAX_ENTRY_CHARS:
        raise ValueError(f"the entry is {size} characters long; at most {MAX_ENTRY_CHARS} fit in one Discord embed")


def validate_fact(raw: Mapping[str, Any]) -> FactModel:
    """Validate one raw entry with the bundled schema and Discord's limits; ValueError says why."""
    fact = parse_fact(dict(raw))
    check_discord_limits(fact)
    return fact


# --------------------------------------------------------------------------- modal forms


@dataclass(frozen=True)
class FormField:
    """One input of an edit/add form: which part of the entry it holds and how it is written.

    ``style``: text (one field), source (sources, one per line "name | url | citing X"), as_of, number,
    lines (a list, one per line), choices (quiz choices, the correct one starred), date
    (timeline year/month/day as YYYY[-MM[-DD]]), yaml (the ``covers`` fields as YAML).
    """

    key: str
    style: Literal["text", "source", "as_of", "number", "lines", "choices", "date", "yaml"]
    long: bool = False
    max_length: int = 256
    covers: tuple[str, ...] = ()
    required: bool = True


_SOURCE = FormField("source", "source", long=True, max_length=1500)
_AS_OF = FormField("as_of", "as_of", max_length=10)

FORMS: dict[str, tuple[FormField, ...]] = {
    "relationship": (
        FormField("headline", "text"),
        FormField("summary", "text", long=True, max_length=1000),
        FormField("label", "text", max_length=40),
        _SOURCE,
        _AS_OF,
    ),
    # Five inputs at most (Discord's limit), in words, no YAML: the rest of an entry (a figure's
    # number, unit and year; an alliance's members) is kept as it was, and changes by import.
    "figure": (
        FormField("label", "text"),
        FormField("value", "text", max_length=40),
        FormField("detail", "text", long=True, max_length=1000),
        _SOURCE,
        _AS_OF,
    ),
    "timeline": (
        FormField("title", "text"),
        FormField("impact", "text", long=True, max_length=1000),
        FormField("date", "date", max_length=10),
        _SOURCE,
        _AS_OF,
    ),
    "faq": (
        FormField("question", "text"),
        FormField("answer", "text", long=True, max_length=1000),
        FormField("paraphrases", "lines", long=True, max_length=MODAL_INPUT_LIMIT, required=False),
        _SOURCE,
        _AS_OF,
    ),
    "quiz": (
        FormField("question", "text"),
        FormField("choices", "choices", long=True, max_length=500),
        FormField("explanation", "text", long=True, max_length=1000),
        _SOURCE,
        _AS_OF,
    ),
    "economic": (
        FormField("us_action", "text"),
        FormField("russian_response", "text"),
        FormField("impact", "text"),
        _SOURCE,
        _AS_OF,
    ),
    "perspective": (
        FormField("view", "text"),
        FormField("quote", "text"),
        FormField("quote_source", "text"),
        _SOURCE,
        _AS_OF,
    ),
    "point": (
        FormField("title", "text"),
        FormField("text", "text", long=True, max_length=1000),
        _SOURCE,
        _AS_OF,
    ),
    "alliance": (
        FormField("name", "text"),
        FormField("short_name", "text", max_length=40),
        FormField("description", "text", long=True, max_length=1000),
        _SOURCE,
        _AS_OF,
    ),
    # The present-day layer (issue 20): its dates, parties, members and changes change by import.
    "tie": (
        FormField("name", "text"),
        FormField("summary", "text", long=True, max_length=1000),
        _SOURCE,
        _AS_OF,
    ),
    "atop_check": (
        FormField("status", "text", max_length=12),
        FormField("summary", "text", long=True, max_length=1000),
        _SOURCE,
        _AS_OF,
    ),
    "war": (
        FormField("name", "text"),
        FormField("summary", "text", long=True, max_length=1000),
        _SOURCE,
        _AS_OF,
    ),
}

# Starting values for the required fields a new entry's form does not ask for.
ADD_DEFAULTS: dict[str, dict[str, Any]] = {
    "faq": {"topic": "us-russia"},
    "timeline": {"topic": "history"},
    "figure": {"topic": "us-russia"},
    "quiz": {"topic": "us-russia"},
}
ADD_YAML_TEMPLATE: dict[str, dict[str, Any]] = {}


def _dump_yaml(data: Mapping[str, Any]) -> str:
    if not data:
        return ""
    return yaml.safe_dump(dict(data), sort_keys=False, allow_unicode=True, width=100).strip()


CITING = "citing "


def _format_sources(sources: Sequence[Mapping[str, Any]]) -> str:
    """One source a line: ``name | url | citing what it cites``, leaving out the parts it lacks."""
    lines = []
    for source in sources:
        parts = [str(source.get("name", ""))]
        if source.get("url"):
            parts.append(str(source["url"]))
        if source.get("cites"):
            parts.append(f"{CITING}{source['cites']}")
        lines.append(" | ".join(parts))
    return "\n".join(lines)


def _format_date(raw: Mapping[str, Any]) -> str:
    if "year" not in raw:
        return ""
    text = f"{int(raw['year']):04d}"
    if raw.get("month"):
        text += f"-{int(raw['month']):02d}"
        if raw.get("day"):
            text += f"-{int(raw['day']):02d}"
    return text


def _format_number(value: Any) -> str:
    if value is None:
        return ""
    number = float(value)
    return str(int(number)) if number.is_integer() else str(number)


def form_values(fact: FactModel | None, kind: str) -> dict[str, str]:
    """The pre-filled text of each input of ``kind``'s form (empty strings for a new entry)."""
    raw: dict[str, Any] = {} if fact is None else fact.model_dump(mode="json", exclude_none=True)
    values: dict[str, str] = {}
    for spec in FORMS[kind]:
        if spec.style == "text":
            values[spec.key] = str(raw.get(spec.key, ""))
        elif spec.style == "source":
            values[spec.key] = _format_sources(raw.get("sources", []))
        elif spec.style == "as_of":
            values[spec.key] = str(raw.get("as_of", ""))
        elif spec.style == "number":
            values[spec.key] = _format_number(raw.get(spec.key))
        elif spec.style == "lines":
            values[spec.key] = "\n".join(str(item) for item in raw.get(spec.key, []))
        elif spec.style == "choices":
            answer = raw.get("answer")
            values[spec.key] = "\n".join(
                f"* {choice}" if index == answer else str(choice) for index, choice in enumerate(raw.get("choices", []))
            )
        elif spec.style == "date":
            values[spec.key] = _format_date(raw)
        elif spec.style == "yaml":
            covered = {key: raw[key] for key in spec.covers if key in raw}
            if fact is None:
                covered = dict(ADD_YAML_TEMPLATE.get(kind, {}))
            values[spec.key] = _dump_yaml(covered)
    return values


def form_fits_modal(fact: FactModel) -> bool:
    """Whether every pre-filled value fits a modal input (a huge alliance may not)."""
    values = form_values(fact, fact.kind)
    limits = {spec.key: spec.max_length for spec in FORMS[fact.kind]}
    return all(len(text) <= limits[key] for key, text in values.items())


# What a source keeps through an edit when its name and link are unchanged (the form shows
# name | url | citing …, one source per line).
_SOURCE_DETAILS = ("publisher", "date", "kind")


def _parse_sources(text: str, previous: Sequence[Mapping[str, Any]] = ()) -> list[dict[str, Any]]:
    """Read the source lines the form shows (see ``_format_sources``): every line is one source.

    Two lines may name the same source citing different things; each keeps its own ``cites``. A
    source whose name and link are unchanged keeps its publisher, date and kind.
    """
    details = {
        (str(s.get("name")), s.get("url") or ""): {key: s[key] for key in _SOURCE_DETAILS if s.get(key)}
        for s in previous
    }
    sources = []
    for number, line in enumerate(text.splitlines(), start=1):
        name, *rest = (part.strip() for part in line.strip().split("|"))
        if not name and not any(rest):
            continue
        source: dict[str, Any] = {"name": name}
        for part in rest:
            if not part:
                continue
            key, value = ("cites", part[len(CITING):].strip()) if part.casefold().startswith(CITING) else ("url", part)
            if key in source:
                raise ValueError(f"source: line {number} has two {'urls' if key == 'url' else 'citing parts'}")
            source[key] = value
        source.update(details.get((name, source.get("url", "")), {}))
        sources.append(source)
    return sources


_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def _parse_date(text: str) -> dict[str, Any]:
    match = _DATE.match(text.strip())
    if not match:
        raise ValueError("date: write it as YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(part) if part else None for part in match.groups())
    return {"year": year, "month": month, "day": day}


def _parse_number(text: str, key: str) -> float:
    cleaned = text.strip().replace(",", "").replace("_", "")
    try:
        number = float(cleaned)
    except ValueError:
        raise ValueError(f"{key}: must be a number, such as 2500 or 7.5") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError(f"{key}: must be a finite number")
    return int(number) if number.is_integer() else number


def _parse_choices(text: str) -> tuple[list[str], int]:
    choices: list[str] = []
    answer: int | None = None
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("*"):
            if answer is not None:
                raise ValueError("choices: star exactly one choice as the correct answer")
            answer = len(choices)
            line = line[1:].strip()
        choices.append(line)
    if answer is None:
        raise ValueError("choices: star the correct answer, e.g. '* 1949'")
    return choices, answer


def _parse_yaml_block(text: str, spec: FormField) -> dict[str, Any]:
    if not text.strip():
        return {}
    try:
        document = safe_load_bounded(text)
    except YamlTooComplex as error:
        raise ValueError(f"{spec.key}: cannot be read: {error.problem}") from None
    except yaml.YAMLError as error:
        raise ValueError(f"{spec.key}: is not valid YAML ({getattr(error, 'problem', error)})") from None
    if document is None:
        return {}
    if not isinstance(document, Mapping):
        raise ValueError(f"{spec.key}: must be YAML lines of 'field: value'")
    unknown = sorted(str(key) for key in document if key not in spec.covers)
    if unknown:
        raise ValueError(f"{spec.key}: unknown field(s) {', '.join(unknown)}; allowed: {', '.join(spec.covers)}")
    return {str(key): value for key, value in document.items() if value not in (None, "")}


def apply_form(kind: str, fact_id: str, base: FactModel | None, values: Mapping[str, str]) -> FactModel:
    """Build and validate the entry a submitted form describes; ValueError names what is wrong.

    Fields the form does not show are kept from ``base`` (or defaulted for a new entry).
    """
    raw: dict[str, Any] = (
        base.model_dump(mode="json", exclude_none=True) if base is not None else dict(ADD_DEFAULTS.get(kind, {}))
    )
    raw["id"] = fact_id
    raw["kind"] = kind
    errors: list[str] = []
    failed: set[str] = set()
    for spec in FORMS[kind]:
        text = str(values.get(spec.key, "")).strip()
        try:
            if spec.style == "text":
                raw[spec.key] = text
            elif spec.style == "source":
                raw["sources"] = _parse_sources(text, raw.get("sources", []))
                if not raw["sources"]:
                    raise ValueError("source: at least one source is required (one per line: name | url | citing what)")
            elif spec.style == "as_of":
                if not text:
                    raise ValueError("as_of: the date the fact was true is required (YYYY, YYYY-MM or YYYY-MM-DD)")
                raw["as_of"] = text
            elif spec.style == "number":
                raw[spec.key] = _parse_number(text, spec.key)
            elif spec.style == "lines":
                raw[spec.key] = [line.strip() for line in text.splitlines() if line.strip()]
            elif spec.style == "choices":
                raw["choices"], raw["answer"] = _parse_choices(text)
            elif spec.style == "date":
                for key, value in _parse_date(text).items():
                    if value is None:
                        raw.pop(key, None)
                    else:
                        raw[key] = value
            elif spec.style == "yaml":
                for key in spec.covers:
                    raw.pop(key, None)
                raw.update(_parse_yaml_block(text, spec))
        except ValueError as error:
            errors.append(str(error))
            failed.update({spec.key, *spec.covers, "sources" if spec.style == "source" else spec.key})
    if kind == "figure" and "value" not in failed:
        _figure_from_value(raw, base)
    if errors:
        # Also report what the schema says about the other fields, so one submit shows every reason.
        try:
            validate_fact(raw)
        except ValueError as error:
            errors += [
                message
                for message in str(error).split("; ")
                if message.split(":", 1)[0].split(".", 1)[0] not in failed
            ]
        raise ValueError("; ".join(errors))
    return validate_fact(raw)


_NUMBER_IN = re.compile(r"\d[\d,_]*(?:\.\d+)?")


def _figure_from_value(raw: dict[str, Any], base: FactModel | None) -> None:
    """A figure's number (for quizzes) follows its value as shown ("2,500+" is 2500), and a new
    figure's unit is what it counts: the form asks for neither."""
    changed = base is None or raw.get("value") != getattr(base, "value", None)
    if changed:
        match = _NUMBER_IN.search(str(raw.get("value", "")))
        if match is None:
            raise ValueError("value: must contain the number, such as 2,500+ or 60%")
        raw["number"] = _parse_number(match.group(0), "value")
    if base is None and not raw.get("unit"):
        raw["unit"] = str(raw.get("label", ""))[:256]


_SLUG = re.compile(r"[^a-z0-9]+")


def new_fact_id(kind: str, text: str, taken: Iterable[str]) -> str:
    """A readable, unused id for a new entry, such as ``faq-who-are-russias-allies``."""
    slug = _SLUG.sub("-", text.casefold()).strip("-")[:40].strip("-") or "entry"
    base = f"{kind}-{slug}"
    used = set(taken)
    candidate, counter = base, 2
    while candidate in used:
        candidate = f"{base}-{counter}"
        counter += 1
    return candidate


def headline_of(fact: FactModel) -> str:
    """The one line that best names an entry (for lists, autocomplete and summaries)."""
    for key in ("headline", "question", "title", "label", "name", "perspective", "us_action"):
        value = getattr(fact, key, None)
        if isinstance(value, str) and value:
            return value
    return fact.id


# --------------------------------------------------------------------------- diff


@dataclass(frozen=True)
class FieldChange:
    """One top-level field that differs between two versions of an entry."""

    field: str
    before: str | None
    after: str | None


def _field_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return _format_number(value) if isinstance(value, float) else str(value)
    return yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=100, default_flow_style=True).strip()


def diff_facts(before: FactModel | None, after: FactModel | None) -> list[FieldChange]:
    """Every top-level field that changed, with both values as text (None when absent)."""
    old = {} if before is None else before.model_dump(mode="json", exclude_none=True)
    new = {} if after is None else after.model_dump(mode="json", exclude_none=True)
    changes = []
    for key in dict.fromkeys([*old, *new]):
        if key in ("id",):
            continue
        if old.get(key) != new.get(key):
            changes.append(
                FieldChange(
                    key,
                    None if key not in old else _field_text(old[key]),
                    None if key not in new else _field_text(new[key]),
                )
            )
    return changes


# --------------------------------------------------------------------------- export / import


EXPORT_HEADER = (
    "# This server's changes to the alliance bot's facts, in the bundled schema.\n"
    "# `entries` are edited or added entries; `hidden` lists ids hidden in this server.\n"
    "# Import with /manage facts import, or propose them upstream in data/.\n"
)


def export_yaml(bundled: FactBase, overlay: Mapping[str, FactModel | None]) -> str:
    """This server's changes as YAML: changed and added entries, then the hidden ids."""
    ordered = [fid for fid in bundled.facts if fid in overlay] + [fid for fid in overlay if fid not in bundled]
    entries = [overlay[fid] for fid in ordered if overlay[fid] is not None]
    text = EXPORT_HEADER + dump_facts(entries)  # type: ignore[arg-type]
    hidden = [fid for fid in ordered if overlay[fid] is None]
    if hidden:
        text += yaml.safe_dump({"hidden": hidden}, sort_keys=False, allow_unicode=True)
    return text


@dataclass(frozen=True)
class PlannedChange:
    """One change an import would make."""

    fact_id: str
    change: Literal["add", "edit", "hide"]
    before: FactModel | None
    after: FactModel | None


@dataclass(frozen=True)
class ImportPlan:
    """What an import would change, all validated; ``unchanged`` lists entries already as imported."""

    changes: list[PlannedChange] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def count(self, change: str) -> int:
        return sum(1 for item in self.changes if item.change == change)

    def new_versions(self) -> list[NewVersion]:
        return [
            NewVersion(item.fact_id, "import", item.after, hidden=item.after is None) for item in self.changes
        ]


class ImportRefused(UserError):
    """An import file with problems: nothing was changed; ``problems`` names every entry."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(problem) for problem in problems))


def plan_import(text: str, file: str, bundled: FactBase, current: FactBase) -> ImportPlan:
    """Validate a whole import file against the schema and this server's view, or raise listing every problem.

    ``bundled`` is the shipped data, ``current`` the server's merged view now.
    """
    facts, problems = load_yaml_text(text, file)
    hidden_ids: list[str] = []
    if not problems:
        document = safe_load_bounded(text)  # parsed before by load_yaml_text: within the bounds
        raw_hidden = document.get("hidden", []) if isinstance(document, Mapping) else []
        if raw_hidden is None:
            raw_hidden = []
        if not isinstance(raw_hidden, list) or not all(isinstance(item, str) for item in raw_hidden):
            problems.append(Problem(file, "hidden", "must be a list of entry ids"))
        else:
            hidden_ids = list(raw_hidden)
        extra = sorted(str(key) for key in document if key not in ("entries", "hidden"))
        if extra:
            problems.append(Problem(file, "file", f"unknown top-level key(s): {', '.join(extra)}"))
        if len(document.get("entries", [])) + len(hidden_ids) > MAX_IMPORT_ENTRIES:
            problems.append(Problem(file, "file", f"has more than {MAX_IMPORT_ENTRIES} entries"))

    seen: set[str] = set()
    for fact in facts:
        entry = f"'{fact.id}'"
        if fact.id in seen:
            problems.append(Problem(file, entry, "appears twice in the file"))
        seen.add(fact.id)
        try:
            check_discord_limits(fact)
        except ValueError as error:
            problems.append(Problem(file, entry, str(error)))
        known = bundled.get(fact.id) or current.get(fact.id)
        if known is not None and known.kind != fact.kind:
            problems.append(Problem(file, entry, f"is a {known.kind} here; an import cannot make it a {fact.kind}"))
    for fact_id in hidden_ids:
        if fact_id in seen:
            problems.append(Problem(file, f"'{fact_id}'", "is both in entries and in hidden"))
        elif fact_id not in bundled and fact_id not in current:
            problems.append(Problem(file, f"'{fact_id}'", "cannot be hidden: no such entry"))
    if problems:
        raise ImportRefused(problems)

    plan = ImportPlan()
    for fact in facts:
        before = current.get(fact.id)
        if before == fact:
            plan.unchanged.append(fact.id)
        else:
            plan.changes.append(PlannedChange(fact.id, "add" if before is None else "edit", before, fact))
    for fact_id in hidden_ids:
        before = current.get(fact_id)
        if before is None:
            plan.unchanged.append(fact_id)
        else:
            plan.changes.append(PlannedChange(fact_id, "hide", before, None))
    over = kinds_over_cap(current.counts(), plan.changes)
    if over:
        raise ImportRefused(
            [
                Problem(file, "file", f"would give this server {count} {kind} entries; {cap_text(kind)}")
                for kind, count in over.items()
            ]
        )
    return plan


def cap_text(kind: str) -> str:
    """The per-server cap, as said in refusals."""
    return f"a server can have at most {MAX_ENTRIES_PER_KIND} {kind} entries (bundled ones included)"


def kinds_over_cap(counts: Mapping[str, int], changes: Iterable[PlannedChange]) -> dict[str, int]:
    """Kinds that ``changes`` would grow beyond ``MAX_ENTRIES_PER_KIND``, with the count they would reach."""
    after = dict(counts)
    grown: set[str] = set()
    for change in changes:
        if change.change == "add" and change.after is not None:
            after[change.after.kind] = after.get(change.after.kind, 0) + 1
            grown.add(change.after.kind)
        elif change.change == "hide" and change.before is not None:
            after[change.before.kind] = after.get(change.before.kind, 0) - 1
    return {kind: after[kind] for kind in sorted(grown) if after[kind] > MAX_ENTRIES_PER_KIND}


# --------------------------------------------------------------------------- search


def search_facts(
    facts: FactBase, query: str, extra_ids: Iterable[str] = (), limit: int = 25
) -> list[tuple[str, str | None]]:
    """Up to ``limit`` ``(id, headline)`` pairs matching ``query`` by id or text, best first.

    ``extra_ids`` (ids with history but not in the view: hidden ones) match by id, headline None.
    """
    needle = query.strip().casefold()
    scored: list[tuple[int, int, str, str | None]] = []
    for order, fact in enumerate(facts):
        head = headline_of(fact)
        if not needle or fact.id.startswith(needle):
            score = 0
        elif needle in fact.id:
            score = 1
        elif needle in head.casefold():
            score = 2
        elif needle in json.dumps(fact.model_dump(mode="json"), ensure_ascii=False).casefold():
            score = 3
        else:
            continue
        scored.append((score, order, fact.id, head))
    for order, fact_id in enumerate(extra_ids):
        if fact_id not in facts and (not needle or needle in fact_id):
            scored.append((1, len(facts) + order, fact_id, None))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [(fact_id, head) for _, _, fact_id, head in scored[:limit]]
