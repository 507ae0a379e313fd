"""The fact base: schema, loading and validation of the bundled YAML, and merged views.

Every fact carries at least one source and an ``as_of`` date. The schema is the single
contract for bundled data, moderator edits and imports alike.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

import pycountry
import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    model_validator,
)

if TYPE_CHECKING:
    from .history import HistoricalRecord

# --------------------------------------------------------------------------- field types

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def _check_partial_date(value: str) -> str:
    """Accept YYYY, YYYY-MM or YYYY-MM-DD, and only real calendar dates."""
    match = _PARTIAL_DATE.match(value)
    if not match:
        raise ValueError("must be a date written YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        date(year, month or 1, day or 1)  # type: ignore[arg-type]
    except ValueError as error:
        raise ValueError(f"is not a real date ({error})") from None
    return value


def _check_country(value: str) -> str:
    """Accept only ISO 3166-1 alpha-2 codes that pycountry knows."""
    if not (len(value) == 2 and value.isupper() and pycountry.countries.get(alpha_2=value)):
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
    return value


def _check_url(value: str) -> str:
    if not value.startswith(("https://", "http://")):
        raise ValueError("must start with http:// or https://")
    return value


PartialDate = Annotated[str, AfterValidator(_check_partial_date)]
CountryCode = Annotated[str, AfterValidator(_check_country)]
Url = Annotated[str, Field(max_length=500), AfterValidator(_check_url)]
FactId = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{1,63}$")]
Year = Annotated[int, Field(ge=1000, le=2100)]

# Lengths chosen so any single field fits an embed field value (1024) or title (256).
ShortText = Annotated[str, Field(min_length=1, max_length=256)]
LongText = Annotated[str, Field(min_length=1, max_length=1000)]

TIMELINE_TOPICS = ("history", "military", "diplomacy", "sanctions", "nuclear", "cooperation", "alliances")
QUIZ_TOPICS = ("us-russia", "timeline", "alliances")
TimelineTopic = Literal["history", "military", "diplomacy", "sanctions", "nuclear", "cooperation", "alliances"]
QuizTopic = Literal["us-russia", "timeline", "alliances"]

RELATIONSHIP_LABELS = {
    "treaty_allies": "treaty allies",
    "close_partners": "close partners without a defence treaty",
    "partners": "partners without a defence treaty",
    "rivals": "rivals",
    "adversaries": "adversaries",
}
RelationshipLabel = Literal["treaty_allies", "close_partners", "partners", "rivals", "adversaries"]

TREATY_KINDS = {
    "defense_pact": "defence pact",
    "mutual_assistance": "mutual-assistance treaty",
    "strategic_partnership_with_defense_clause": "strategic partnership with a mutual-defence clause",
    "security_partnership": "security partnership (no mutual-defence clause)",
    "intelligence_sharing": "intelligence-sharing arrangement (no mutual-defence clause)",
    "no_defense_obligation": "partnership treaty with no mutual-defence obligation",
}
TreatyKind = Literal[
    "defense_pact",
    "mutual_assistance",
    "strategic_partnership_with_defense_clause",
    "security_partnership",
    "intelligence_sharing",
    "no_defense_obligation",
]
# Kinds of treaty whose shared membership makes two countries treaty allies.
ALLIANCE_GRADE_KINDS = frozenset({"defense_pact", "mutual_assistance", "strategic_partnership_with_defense_clause"})

POINT_SECTIONS = ("evidence", "roots", "military", "cooperation", "confusion", "outlook", "this_week", "bottom_line")
PointSection = Literal["evidence", "roots", "military", "cooperation", "confusion", "outlook", "this_week", "bottom_line"]


# --------------------------------------------------------------------------- schema


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


SOURCE_KINDS = ("primary", "secondary")
SourceKind = Literal["primary", "secondary"]
# Why an entry has no primary source (none found, text not public...): said, not hidden.
NoPrimaryReason = Annotated[str, Field(min_length=1, max_length=300)]


class Source(_Strict):
    """Where a fact comes from. ``cites`` names what the source itself cites, if anything.

    ``kind`` says whether it is a primary source (treaty text, depositary record, official gazette,
    a government's or organisation's own page) or a secondary one (news, encyclopedia, study);
    ``publisher`` and ``date`` say who published it and when, where that matters.
    """

    name: ShortText
    url: Url | None = None
    cites: ShortText | None = None
    publisher: Annotated[str, Field(min_length=1, max_length=120)] | None = None
    date: PartialDate | None = None
    kind: SourceKind | None = None


class _FactBase(_Strict):
    id: FactId
    # Primary sources first; at most 10 (the weakest are dropped, not the primary ones).
    sources: list[Source] = Field(min_length=1, max_length=10)
    as_of: PartialDate


class Relationship(_FactBase):
    """A pair's relationship in plain words: the verdict and the short paragraph behind it."""

    kind: Literal["relationship"]
    pair: tuple[CountryCode, CountryCode]
    label: RelationshipLabel
    headline: ShortText
    summary: LongText
    no_primary_source: NoPrimaryReason | None = None

    @model_validator(mode="after")
    def _distinct(self) -> Relationship:
        if self.pair[0] == self.pair[1]:
            raise ValueError("pair must name two different countries")
        return self


class Figure(_FactBase):
    """A headline figure such as '2,500+ Russian entities sanctioned since 2014'."""

    kind: Literal["figure"]
    label: ShortText
    value: Annotated[str, Field(min_length=1, max_length=40)]
    number: float = Field(description="the figure as a number, for quiz questions and sorting")
    unit: ShortText
    since: Year | None = None
    detail: LongText
    topic: QuizTopic = "us-russia"
    headline: bool = Field(default=False, description="shown with the verdict as a headline figure")


class TimelineEntry(_FactBase):
    """A dated event in the US–Russia story."""

    kind: Literal["timeline"]
    year: Year
    month: Annotated[int, Field(ge=1, le=12)] | None = None
    day: Annotated[int, Field(ge=1, le=31)] | None = None
    title: ShortText
    impact: LongText
    topic: TimelineTopic = "history"

    @model_validator(mode="after")
    def _real_day(self) -> TimelineEntry:
        if self.day is not None and self.month is None:
            raise ValueError("a day needs a month")
        if self.month is not None:
            try:
                date(self.year, self.month, self.day or 1)
            except ValueError as error:
                raise ValueError(f"is not a real date ({error})") from None
        return self


class Faq(_FactBase):
    """A question people ask, its answer, and other ways of asking it."""

    kind: Literal["faq"]
    question: ShortText
    answer: LongText
    paraphrases: list[ShortText] = Field(default_factory=list, max_length=25)
    topic: QuizTopic = "us-russia"


class QuizQuestion(_FactBase):
    """A hand-written multiple-choice question."""

    kind: Literal["quiz"]
    question: ShortText
    choices: list[Annotated[str, Field(min_length=1, max_length=80)]] = Field(min_length=2, max_length=5)
    answer: int = Field(ge=0, description="index into choices")
    explanation: LongText
    topic: QuizTopic = "us-russia"

    @model_validator(mode="after")
    def _answer_in_range(self) -> QuizQuestion:
        if self.answer >= len(self.choices):
            raise ValueError(f"answer {self.answer} is not an index of the {len(self.choices)} choices")
        if len({c.casefold() for c in self.choices}) != len(self.choices):
            raise ValueError("choices must be distinct")
        return self


class EconomicMeasure(_FactBase):
    """A row of the original explainer's 'economic cold war' table."""

    kind: Literal["economic"]
    us_action: ShortText
    russian_response: ShortText
    impact: ShortText


class Perspective(_FactBase):
    """A row of the original explainer's 'what experts think' table."""

    kind: Literal["perspective"]
    perspective: ShortText
    view: ShortText
    quote: ShortText
    quote_source: ShortText


class Point(_FactBase):
    """A titled paragraph in one section of an answer (cooperation, confusion, outlook...).

    ``text`` may contain ``{years_since:YYYY}``, computed when the answer is shown.
    """

    kind: Literal["point"]
    section: PointSection
    title: ShortText
    text: LongText
    order: int = 0


class Membership(_Strict):
    code: CountryCode
    joined: Year | None = None
    left: Year | None = None
    suspended: Year | None = None
    note: Annotated[str, Field(max_length=300)] | None = None

    @model_validator(mode="after")
    def _order(self) -> Membership:
        if self.joined is not None and self.left is not None and self.left < self.joined:
            raise ValueError("left before joined")
        return self


class PairException(_Strict):
    pair: tuple[CountryCode, CountryCode]
    status: Literal["suspended"]
    since: Year
    note: Annotated[str, Field(max_length=300)] | None = None


class Alliance(_FactBase):
    """A treaty or arrangement with members, from the researched reference data."""

    kind: Literal["alliance"]
    name: ShortText
    short_name: Annotated[str, Field(min_length=1, max_length=40)]
    treaty_kind: TreatyKind
    signed: Year
    in_force: Year | None = None
    article: ShortText | None = None
    description: LongText
    members: list[Membership] = Field(min_length=2)
    former_members: list[Membership] = Field(default_factory=list)
    disputed_members: list[Membership] = Field(default_factory=list)
    pair_exceptions: list[PairException] = Field(default_factory=list)
    # ATOP alliances this entry stands for: the pair sees this entry, never the same treaty twice.
    atop_ids: list[Annotated[int, Field(ge=1000, le=99999)]] = Field(default_factory=list, max_length=10)
    no_primary_source: NoPrimaryReason | None = None

    @model_validator(mode="after")
    def _unique_members(self) -> Alliance:
        codes = [m.code for m in self.members]
        if len(set(codes)) != len(codes):
            raise ValueError("a country is listed twice among members")
        return self


# --------------------------------------------------------------------------- the present-day layer
# Issue 20: ties beyond a treaty with a defence promise, researched to late 2026 (data/present_day_*.yaml,
# written by scripts/import_present_day.py from research/present_day/). Strongest layer first.

TIE_LAYERS = ("designated", "commitment", "partnership", "hostility")
TieLayer = Literal["designated", "commitment", "partnership", "hostility"]
TIE_TYPES: dict[str, dict[str, str]] = {
    "designated": {
        "major_non_nato_ally": "designated Major Non-NATO Ally",
        "major_defense_partner": "designated Major Defense Partner",
        "other_designation": "designated partner",
    },
    "commitment": {
        "security_commitment_law": "security commitment in law",
        "bilateral_security_agreement": "bilateral security agreement",
        "security_assurance": "security assurance",
        "executive_security_guarantee": "security guarantee by executive act",
        "other_commitment": "security commitment",
    },
    "partnership": {
        "strategic_partnership": "strategic partnership",
        "comprehensive_strategic_partnership": "comprehensive strategic partnership",
        "global_strategic_partnership": "global strategic partnership",
        "special_strategic_partnership": "special strategic partnership",
        "all_weather_partnership": "all-weather partnership",
        "reciprocal_access_agreement": "reciprocal access agreement",
        "other_named_partnership": "named partnership",
    },
    "hostility": {
        "no_diplomatic_relations": "no diplomatic relations",
        "adversary_designation": "formal adversary designation",
        "rivalry": "rivalry",
    },
}
Note = Annotated[str, Field(min_length=1, max_length=600)]


def _in_order(since: str | None, until: str | None, what: str) -> None:
    if since is not None and until is not None and until < since and not since.startswith(until):
        raise ValueError(f"{what} ends ({until}) before it begins ({since})")


class PresentTie(_FactBase):
    """A present-day tie between two states at one layer below a treaty alliance.

    ``pair`` is ordered for one-way ties: [the state that designates or commits, the other].
    """

    kind: Literal["tie"]
    layer: TieLayer
    type: Annotated[str, Field(pattern=r"^[a-z_]{2,40}$")]
    designation: Annotated[str, Field(pattern=r"^[a-z_]{2,40}$")] | None = None
    pair: tuple[CountryCode, CountryCode]
    name: ShortText
    since: PartialDate | None = None
    until: PartialDate | None = None
    summary: LongText
    note: Note | None = None

    @model_validator(mode="after")
    def _consistent(self) -> PresentTie:
        if self.pair[0] == self.pair[1]:
            raise ValueError("pair must name two different countries")
        if self.type not in TIE_TYPES[self.layer]:
            raise ValueError(f"type {self.type!r} is not one of layer {self.layer!r}: {', '.join(TIE_TYPES[self.layer])}")
        _in_order(self.since, self.until, "the tie")
        return self


MemberChangeKind = Literal["left", "suspended", "readmitted", "joined", "withdrawal_announced", "frozen"]


class MemberChange(_Strict):
    code: CountryCode
    change: MemberChangeKind
    date: PartialDate | None = None
    note: Note | None = None


class AtopCheck(_FactBase):
    """What became of an alliance of the ATOP record (in force in 2018) from 2019 to today."""

    kind: Literal["atop_check"]
    atopid: Annotated[int, Field(ge=1000, le=99999)]
    name: ShortText | None = None
    status: Literal["in_force", "ended", "changed"]
    ended: PartialDate | None = None
    changes: list[MemberChange] = Field(default_factory=list, max_length=50)
    summary: LongText

    @model_validator(mode="after")
    def _consistent(self) -> AtopCheck:
        if (self.status == "ended") != (self.ended is not None):
            raise ValueError("an ended alliance needs its end date, and only an ended one has one")
        if self.status == "changed" and not self.changes:
            raise ValueError("a changed alliance lists its changes")
        return self


CowCode = Annotated[int, Field(ge=1, le=999)]


class Belligerent(_Strict):
    cow: CowCode
    side: Annotated[str, Field(min_length=1, max_length=60)]
    entered: PartialDate
    left: PartialDate | None = None
    note: Note | None = None

    @model_validator(mode="after")
    def _order(self) -> Belligerent:
        _in_order(self.entered, self.left, "the participation")
        return self


class NotAtWar(_Strict):
    a: CowCode
    b: CowCode
    until: PartialDate | None = None
    note: Note | None = None


class War(_FactBase):
    """A war between states: who fought on which side, from when to when (COW state codes)."""

    kind: Literal["war"]
    name: ShortText
    began: PartialDate
    ended: PartialDate | None = None
    participants: list[Belligerent] = Field(min_length=2, max_length=120)
    pairs_not_at_war: list[NotAtWar] = Field(default_factory=list, max_length=60)
    summary: LongText

    @model_validator(mode="after")
    def _consistent(self) -> War:
        _in_order(self.began, self.ended, "the war")
        if len({p.side for p in self.participants}) < 2:
            raise ValueError("a war has at least two sides")
        return self


Fact: TypeAlias = Annotated[
    Relationship
    | Figure
    | TimelineEntry
    | Faq
    | QuizQuestion
    | EconomicMeasure
    | Perspective
    | Point
    | Alliance
    | PresentTie
    | AtopCheck
    | War,
    Field(discriminator="kind"),
]
FACT_ADAPTER: TypeAdapter[Fact] = TypeAdapter(Fact)
FACT_KINDS = (
    "relationship",
    "figure",
    "timeline",
    "faq",
    "quiz",
    "economic",
    "perspective",
    "point",
    "alliance",
    "tie",
    "atop_check",
    "war",
)
FactModel = (
    Relationship
    | Figure
    | TimelineEntry
    | Faq
    | QuizQuestion
    | EconomicMeasure
    | Perspective
    | Point
    | Alliance
    | PresentTie
    | AtopCheck
    | War
)


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one entry of one file."""

    file: str
    entry: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: entry {self.entry}: {self.message}"


class FactBaseError(Exception):
    """The fact data is invalid; ``problems`` lists every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the fact data:\n{lines}")


def describe_validation_error(error: ValidationError) -> list[str]:
    """Turn a pydantic error into short human sentences naming the field."""
    messages = []
    for item in error.errors():
        loc = [str(part) for part in item["loc"]]
        # Drop the discriminator tag pydantic puts first, e.g. ('timeline', 'year').
        if loc and loc[0] in FACT_KINDS:
            loc = loc[1:]
        where = ".".join(loc) or "entry"
        msg = item["msg"]
        msg = msg.removeprefix("Value error, ")
        messages.append(f"{where}: {msg}")
    return messages


def parse_fact(raw: Any) -> FactModel:
    """Validate one raw mapping as a fact; raises ``ValueError`` with readable reasons."""
    try:
        return FACT_ADAPTER.validate_python(raw)
    except ValidationError as error:
        raise ValueError("; ".join(describe_validation_error(error))) from None


def parse_entries(raw_entries: Iterable[Any], file: str) -> tuple[list[FactModel], list[Problem]]:
    """Validate a list of raw entries, collecting every problem with its file and entry id."""
    facts: list[FactModel] = []
    problems: list[Problem] = []
    for index, raw in enumerate(raw_entries):
        entry = f"#{index + 1}"
        if isinstance(raw, Mapping) and isinstance(raw.get("id"), str):
            entry = f"'{raw['id']}'"
        if not isinstance(raw, Mapping):
            problems.append(Problem(file, entry, "is not a mapping of fields"))
            continue
        try:
            facts.append(parse_fact(dict(raw)))
        except ValueError as error:
            problems.append(Problem(file, entry, str(error)))
    return facts, problems


# Bounds on untrusted YAML (imports, form fields), checked on the parser's event stream before
# anything is built: PyYAML builds nested collections recursively, so a small file of nested
# brackets would otherwise exhaust Python's recursion limit. The bundled data nests 5 deep.
MAX_YAML_DEPTH = 20
MAX_YAML_NODES = 200_000


class YamlTooComplex(yaml.YAMLError):
    """A YAML text nests deeper, or holds more values, than any valid fact file could."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def safe_load_bounded(text: str) -> Any:
    """``yaml.safe_load`` for untrusted text: refuse (YamlTooComplex) nesting or size beyond the bounds."""
    try:
        _check_bounds(text, _FAST_LOADER)
    except YamlTooComplex:
        raise
    except yaml.YAMLError:
        # libyaml found the text invalid: scan again with the loader below, so the error the
        # user sees is the one it reports (and the bounds still hold up to that point).
        _check_bounds(text, yaml.SafeLoader)
    return yaml.load(text, Loader=_StrictLoader)  # a safe loader (libyaml's where available): plain data only


# libyaml's event parser is iterative and fast: scanning with it costs little next to the load.
_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_FAST_LOADER):  # type: ignore[misc, valid-type]
    """A safe loader that refuses, with the line, what it cannot build or reads twice.

    PyYAML builds values such as ``2024-13-45`` (a timestamp) or a 5,000-digit integer with
    ``datetime`` and ``int``, which raise ValueError rather than a YAML error; and a mapping with a
    key given twice silently keeps the last value. Both become ConstructorErrors naming the line.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except ValueError as error:
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read the value {_excerpt(node)} ({error})", node.start_mark
            ) from None

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key = key_node.value
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"the key {key[:40]!r} is given twice", key_node.start_mark
                    )
                seen.add(key)
        return super().construct_mapping(node, deep)


def _excerpt(node: yaml.Node) -> str:
    value = node.value if isinstance(node.value, str) else ""
    return repr(value[:20] + "…") if len(value) > 20 else repr(value)


def _check_bounds(text: str, loader: Any) -> None:
    depth = nodes = 0
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise YamlTooComplex(f"it is nested more than {MAX_YAML_DEPTH} levels deep")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if isinstance(event, yaml.NodeEvent):
            nodes += 1
            if nodes > MAX_YAML_NODES:
                raise YamlTooComplex(f"it holds more than {MAX_YAML_NODES:,} values")


def safe_load(text: str) -> Any:
    """``yaml.safe_load``, through libyaml when available (about ten times faster; most of start-up)."""
    return yaml.load(text, Loader=_StrictLoader)  # a safe loader: plain data only


def load_yaml_text(text: str, file: str) -> tuple[list[FactModel], list[Problem]]:
    """Parse one YAML document of the form ``entries: [...]``, safely and within the bounds above."""
    try:
        document = safe_load_bounded(text)
    except YamlTooComplex as error:
        return [], [Problem(file, "file", f"cannot be read: {error.problem}")]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark is not None else "file"
        return [], [Problem(file, where, f"is not valid YAML ({getattr(error, 'problem', error)})")]
    if not isinstance(document, Mapping) or not isinstance(document.get("entries"), list):
        return [], [Problem(file, "file", "must be a mapping with an 'entries:' list")]
    return parse_entries(document["entries"], file)


# --------------------------------------------------------------------------- the fact base


@dataclass(frozen=True)
class FactBase:
    """An immutable, validated set of facts keyed by id, in a stable order."""

    facts: Mapping[str, FactModel]
    origin: Mapping[str, str] = field(default_factory=dict)  # id -> file it came from
    # The ATOP/COW record (static, shared by every view); None where the data folder has none.
    record: HistoricalRecord | None = field(default=None, compare=False, repr=False)

    def __iter__(self) -> Iterator[FactModel]:
        return iter(self.facts.values())

    def __len__(self) -> int:
        return len(self.facts)

    def __contains__(self, fact_id: object) -> bool:
        return fact_id in self.facts

    def get(self, fact_id: str) -> FactModel | None:
        return self.facts.get(fact_id)

    def of_kind(self, *kinds: str) -> list[Any]:
        """Every fact of the given kinds, in file order."""
        return [fact for fact in self.facts.values() if fact.kind in kinds]

    def with_overlay(self, changes: Mapping[str, FactModel | None]) -> FactBase:
        """A merged view: ``changes`` maps an id to its replacement, or to None to hide it."""
        if not changes:
            return self
        merged = dict(self.facts)
        for fact_id, fact in changes.items():
            if fact is None:
                merged.pop(fact_id, None)
            else:
                merged[fact_id] = fact
        return FactBase(merged, self.origin, self.record)

    def counts(self) -> dict[str, int]:
        result: dict[str, int] = {}
        for fact in self.facts.values():
            result[fact.kind] = result.get(fact.kind, 0) + 1
        return result


def build_fact_base(files: Iterable[tuple[str, str]]) -> FactBase:
    """Validate ``(file name, YAML text)`` pairs into a fact base, or raise listing every problem."""
    facts: dict[str, FactModel] = {}
    origin: dict[str, str] = {}
    problems: list[Problem] = []
    for name, text in files:
        parsed, file_problems = load_yaml_text(text, name)
        problems.extend(file_problems)
        for fact in parsed:
            if fact.id in facts:
                problems.append(Problem(name, f"'{fact.id}'", f"duplicate id (already defined in {origin[fact.id]})"))
                continue
            facts[fact.id] = fact
            origin[fact.id] = name
    if problems:
        raise FactBaseError(problems)
    return FactBase(facts, origin)


def load_fact_base(data_dir: Path) -> FactBase:
    """Read every ``*.yaml`` file in ``data_dir`` (sorted by name) into a validated fact base."""
    if not data_dir.is_dir():
        raise FactBaseError([Problem(str(data_dir), "directory", "does not exist")])
    paths = sorted(data_dir.glob("*.yaml"))
    if not paths:
        raise FactBaseError([Problem(str(data_dir), "directory", "contains no .yaml files")])
    from .history import load_record  # the record imports this module's Source

    facts = build_fact_base((path.name, path.read_text(encoding="utf-8")) for path in paths)
    try:
        record = load_record(data_dir / "atop")
    except (OSError, ValueError, KeyError, TypeError, AssertionError, yaml.YAMLError) as error:
        raise FactBaseError([Problem("atop/", "files", f"cannot be read ({error!r})")]) from None
    problems = _record_problems(facts, record)
    if problems:
        raise FactBaseError(problems)
    return FactBase(facts.facts, facts.origin, record)


def _record_problems(facts: FactBase, record: Any) -> list[Problem]:
    """Entries that name the record must name what is in it: a checked alliance in force at the end
    of 2018, a belligerent state on the COW list."""
    problems = []
    for fact in facts.of_kind("atop_check"):
        alliance = record.alliances.get(fact.atopid)
        if alliance is None or not alliance.ongoing:
            reason = "is not in the record" if alliance is None else "was not in force at the end of 2018"
            problems.append(Problem(facts.origin[fact.id], f"'{fact.id}'", f"ATOP {fact.atopid} {reason}"))
    for fact in facts.of_kind("war"):
        codes = {p.cow for p in fact.participants} | {c for pair in fact.pairs_not_at_war for c in (pair.a, pair.b)}
        unknown = sorted(code for code in codes if code not in record.states)
        if unknown:
            problems.append(Problem(facts.origin[fact.id], f"'{fact.id}'", f"COW codes not on the state list: {unknown}"))
    return problems


def dump_facts(facts: Iterable[FactModel]) -> str:
    """Write facts back as YAML in the bundled schema (for export)."""
    entries = [fact.model_dump(mode="json", exclude_none=True) for fact in facts]
    return yaml.safe_dump({"entries": entries}, sort_keys=False, allow_unicode=True, width=100)


def stale_facts(facts: Iterable[FactModel], today: date, months: int) -> list[tuple[str, str]]:
    """(id, as_of) of every fact whose "as of" date is more than ``months`` months before ``today``.

    A partial date counts from its last day: "2025" is as of the end of 2025, "2025-09" of September.
    """
    limit = today.year * 12 + today.month - months
    out = []
    for fact in facts:
        parts = [int(p) for p in fact.as_of.split("-")]
        year, month = parts[0], parts[1] if len(parts) > 1 else 12
        if year * 12 + month < limit:
            out.append((fact.id, fact.as_of))
    return sorted(out, key=lambda row: (row[1], row[0]))


_YEARS_SINCE = re.compile(r"\{years_since:(\d{4})\}")


def fill_computed(text: str, today: date) -> str:
    """Replace ``{years_since:YYYY}`` with the number of years from YYYY to ``today``."""
    return _YEARS_SINCE.sub(lambda m: str(today.year - int(m.group(1))), text)


@functools.lru_cache(maxsize=1024)  # a few dozen distinct dates; every answer's footer shows one
def format_as_of(as_of: str) -> str:
    """Render a partial date for people: '2024', 'March 2023' or '14 March 2023'."""
    parts = as_of.split("-")
    if len(parts) == 1:
        return parts[0]
    month = date(2000, int(parts[1]), 1).strftime("%B")
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return f"{int(parts[2])} {month} {parts[0]}"
