"""Quiz rules: questions from the fact base, distractors, scoring, streaks and no-repeat rotation.

Pure Python: no discord, no SQL. The public API used by the cog, the store and the benchmark:

- ``generate_questions(facts, topic, rng)``: every question the topic's pool holds right now, keyed by a
  stable key (hand-written ``kind: quiz`` facts plus questions generated from timeline, figure,
  perspective, economic and alliance facts). Built from the facts passed in, so a server's corrected
  fact changes the questions generated from it; each question carries its facts' sources and as_of.
- ``pick_next(pool, seen, rng)``: the no-repeat rotation (a server sees every question of a topic
  before any repeats).
- ``score_answer(correct, elapsed, duration, streak_before)``: points and the new streak.
- ``streaks(results)``: current and best streak from answers in order.
- ``period_start(period, now)``: where the week and month boards begin (UTC calendar periods).
"""

from __future__ import annotations

import bisect
import dataclasses
import logging
import random
import re
import unicodedata
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, NamedTuple

import pycountry

from .alliance_timeline import cached_atop_entries, capital, signings
from .countries import default_resolver
from .facts import (
    QUIZ_TOPICS,
    TIE_TYPES,
    Alliance,
    EconomicMeasure,
    FactBase,
    Figure,
    Perspective,
    Point,
    PresentTie,
    QuizQuestion,
    Source,
    TimelineEntry,
    War,
)
from .history import COW_AS_OF, COW_SOURCE
from .present_day import PresentDay

log = logging.getLogger(__name__)

LETTERS = "ABCDE"
MIN_CHOICES = 2
MAX_CHOICES = 5
DEFAULT_CHOICES = 4
DEFAULT_SECONDS = 20
MIN_SECONDS = 10
# After each reveal the answer and its explanation stay up this long before the next question.
REVEAL_PAUSE = 5
# A quiz stops by itself after this many questions in a row that nobody answered.
UNANSWERED_LIMIT = 3
MAX_SECONDS = 120
MAX_QUESTIONS = 20

# Scoring: a right answer earns BASE_POINTS, plus up to SPEED_BONUS for answering early (linear in the
# time left), plus STREAK_STEP for every right answer in a row before it (capped at STREAK_CAP).
BASE_POINTS = 100
SPEED_BONUS = 100
STREAK_STEP = 10
STREAK_CAP = 50

Period = Literal["all-time", "month", "week"]
PERIODS: tuple[str, ...] = ("all-time", "month", "week")

# pycountry's names are formal ("Russian Federation", "Korea, Republic of"); quiz choices use everyday ones.
_COUNTRY_NAMES = {
    "RU": "Russia",
    "US": "United States",
    "GB": "United Kingdom",
    "KR": "South Korea",
    "KP": "North Korea",
    "CZ": "Czechia",
    "MK": "North Macedonia",
}


def country_name(code: str) -> str:
    """An everyday English name for an ISO 3166-1 alpha-2 code."""
    if code in _COUNTRY_NAMES:
        return _COUNTRY_NAMES[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


# --------------------------------------------------------------------------- the question model


@dataclass(frozen=True)
class Question:
    """One multiple-choice question as shown: exactly one choice is right."""

    key: str
    topic: str
    prompt: str
    choices: tuple[str, ...]
    answer: int
    explanation: str
    sources: tuple[Source, ...]
    as_of: str
    fact_ids: tuple[str, ...] = field(default=())
    year: int | None = None  # the year the question is about, where it has one (for the era topics)
    difficulty: str = "medium"  # easy, medium or hard, computed from the data (rate_difficulty)

    def __post_init__(self) -> None:
        if not MIN_CHOICES <= len(self.choices) <= MAX_CHOICES:
            raise ValueError(f"{self.key}: {len(self.choices)} choices (need {MIN_CHOICES}-{MAX_CHOICES})")
        if not 0 <= self.answer < len(self.choices):
            raise ValueError(f"{self.key}: answer {self.answer} out of range")
        if len({c.casefold() for c in self.choices}) != len(self.choices):
            raise ValueError(f"{self.key}: choices are not distinct")

    @property
    def right_choice(self) -> str:
        return self.choices[self.answer]

    @property
    def right_letter(self) -> str:
        return LETTERS[self.answer]

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready copy, stored with each asked question so it can be re-shown after a restart."""
        return {
            "key": self.key,
            "topic": self.topic,
            "prompt": self.prompt,
            "choices": list(self.choices),
            "answer": self.answer,
            "explanation": self.explanation,
            "sources": [s.model_dump(mode="json", exclude_none=True) for s in self.sources],
            "as_of": self.as_of,
            "fact_ids": list(self.fact_ids),
            "year": self.year,
            "difficulty": self.difficulty,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Question:
        """Rebuild a stored question."""
        return cls(
            key=data["key"],
            topic=data["topic"],
            prompt=data["prompt"],
            choices=tuple(data["choices"]),
            answer=int(data["answer"]),
            explanation=data["explanation"],
            sources=tuple(Source(**s) for s in data["sources"]),
            as_of=data["as_of"],
            fact_ids=tuple(data.get("fact_ids", ())),
            year=data.get("year"),
            difficulty=data.get("difficulty", "medium"),  # questions stored before difficulty existed
        )


def _shuffled(
    key: str,
    topic: str,
    prompt: str,
    right: str,
    wrong: Sequence[str],
    rng: random.Random,
    explanation: str,
    facts: Sequence[Any],
) -> Question:
    """Put the right answer among the distractors in a random position."""
    choices = [right, *wrong]
    rng.shuffle(choices)
    sources: list[Source] = []
    for fact in facts:
        for source in fact.sources:
            if source not in sources:
                sources.append(source)
    return Question(
        key=key,
        topic=topic,
        prompt=prompt,
        choices=tuple(choices),
        answer=choices.index(right),
        explanation=explanation,
        sources=tuple(sources[:10]),
        as_of=max(fact.as_of for fact in facts),
        fact_ids=tuple(fact.id for fact in facts),
        year=next((y for fact in facts if isinstance(y := getattr(fact, "year", None), int)), None),
    )


def _distinct_sample(
    candidates: Iterable[str], exclude: Iterable[str], k: int, rng: random.Random
) -> list[str]:
    """Up to ``k`` distinct candidates (case-insensitive), none equal to anything in ``exclude``."""
    taken = {e.casefold() for e in exclude}
    unique: list[str] = []
    for candidate in candidates:
        folded = candidate.casefold()
        if folded not in taken:
            taken.add(folded)
            unique.append(candidate)
    return rng.sample(unique, min(k, len(unique)))


def _year_distractors(
    right: int, known_years: Iterable[int], k: int, rng: random.Random, wrong_years: set[int] | None = None
) -> list[str]:
    """Plausible wrong years: other years from the data first, then years close to the right one."""
    return _years_near(right, sorted(set(known_years)), k, rng, wrong_years)


def _years_near(
    right: int, distinct_years: Sequence[int], k: int, rng: random.Random, wrong_years: set[int] | None = None
) -> list[str]:
    """``_year_distractors`` over years already sorted and distinct: only the 61-year window is looked at."""
    banned = {right} | (wrong_years or set())
    window = distinct_years[bisect.bisect_left(distinct_years, right - 30) : bisect.bisect_right(distinct_years, right + 30)]
    pool = [y for y in window if y not in banned]
    picked = rng.sample(pool, min(k, len(pool)))
    offsets = [o for o in range(-6, 7) if o]
    rng.shuffle(offsets)
    for offset in offsets:
        if len(picked) >= k:
            break
        year = right + offset
        if year not in banned and year not in picked and year <= 2100:
            picked.append(year)
    return [str(y) for y in picked]


# --------------------------------------------------------------------------- figures

_FIGURE_VALUE = re.compile(r"^(?P<prefix>[^\d]*)(?P<number>\d[\d,]*(?:\.\d+)?)(?P<suffix>.*)$")
_FIGURE_FACTORS = (0.25, 0.4, 0.5, 2, 3, 4)


# "60+", "over 150", "more than 40", "at least 12": a lower value is true as well, so such a figure
# has no single right choice among look-alike numbers and is not asked.
_OPEN_ENDED = re.compile(r"\+\s*$|^\s*(?:over|more than|at least|above|upwards of)\b", re.IGNORECASE)


def figure_distractors(value: str, k: int, rng: random.Random) -> list[str]:
    """Wrong values written like ``value`` ("1,706" -> "680", "3,400"), never equal to it.

    An open-ended value ("60+") gets none: any smaller "24+" would also be true.
    """
    match = _FIGURE_VALUE.match(value)
    if match is None or _OPEN_ENDED.search(value):
        return []
    prefix, raw, suffix = match["prefix"], match["number"], match["suffix"]
    number = float(raw.replace(",", ""))
    percent = suffix.startswith("%")
    candidates: list[str] = []
    for factor in _FIGURE_FACTORS:
        scaled = number * factor
        if percent and scaled >= 100:
            continue
        # Round to two significant figures so distractors look like the numbers people quote.
        magnitude = 10 ** max(len(str(int(scaled))) - 2, 0)
        scaled = round(scaled / magnitude) * magnitude
        if scaled <= 0 or scaled == number:
            continue
        text = f"{int(scaled):,}" if "," in raw or scaled >= 10000 else str(int(scaled))
        candidates.append(f"{prefix}{text}{suffix}")
    return _distinct_sample(candidates, [value], k, rng)


# --------------------------------------------------------------------------- generators

TOPIC_OF_GENERATOR = {
    "figure": "us-russia",
    "perspective": "us-russia",
    "economic": "us-russia",
    "timeline": "timeline",
    "alliance": "alliances",
}


def _hand_written(facts: FactBase, topic: str, rng: random.Random) -> dict[str, Question]:
    out: dict[str, Question] = {}
    for fact in facts.of_kind("quiz"):
        fact: QuizQuestion
        if fact.topic != topic:
            continue
        right = fact.choices[fact.answer]
        wrong = [c for i, c in enumerate(fact.choices) if i != fact.answer]
        key = f"q:{fact.id}"
        out[key] = _shuffled(key, topic, fact.question, right, wrong, rng, fact.explanation, [fact])
    return out


class _Distractors:
    """Distinct values (case-insensitive) to draw wrong choices from, built once per generation.

    Each question bans some values (those that would also be right). Drawing at random and
    skipping banned values costs a handful of draws while most values are allowed; a group that
    bans most of them gets its allowed values listed once and reused. Either way a question
    costs about the same with 5 rows or 500: generation is linear, not quadratic.
    """

    def __init__(self, values: Iterable[str]) -> None:
        self.values: list[str] = []  # first spelling of each distinct value
        self.folded: list[str] = []
        seen: set[str] = set()
        for value in values:
            folded = value.casefold()
            if folded not in seen:
                seen.add(folded)
                self.values.append(value)
                self.folded.append(folded)
        self._allowed_by_group: dict[object, list[int]] = {}

    def sample(
        self, group: object, banned: set[str], k: int, rng: random.Random, also_banned: str | None = None
    ) -> list[str]:
        """Up to ``k`` values whose folded form is neither in ``banned`` nor ``also_banned``.

        ``banned`` must depend on ``group`` only (it is cached per group); ``also_banned`` is per question.
        """
        extra = {also_banned.casefold()} - banned if also_banned is not None else set()
        allowed = len(self.values) - len(banned) - len(extra)
        if allowed <= 0 or k <= 0:
            return []
        if allowed * 2 >= len(self.values):
            picked: list[int] = []
            tried: set[int] = set()
            while len(picked) < min(k, allowed):
                index = rng.randrange(len(self.values))
                if index in tried:
                    continue
                tried.add(index)
                if self.folded[index] not in banned and self.folded[index] not in extra:
                    picked.append(index)
            return [self.values[i] for i in picked]
        if group not in self._allowed_by_group:
            self._allowed_by_group[group] = [i for i, f in enumerate(self.folded) if f not in banned]
        candidates = self._allowed_by_group[group]
        drawn = rng.sample(candidates, min(k + len(extra), len(candidates)))
        return [self.values[i] for i in drawn if self.folded[i] not in extra][:k]


def _other_rows(rows: Sequence[tuple[str, str]]) -> tuple[_Distractors, dict[str, set[str]]]:
    """For ``(value, key)`` rows: the distinct values, and per folded key the values found only under it.

    A value found only under a row's own key would read as right for that row: never offer it.
    """
    keys_of: dict[str, set[str]] = {}
    for value, key in rows:
        keys_of.setdefault(value.casefold(), set()).add(key.casefold())
    only_under: dict[str, set[str]] = {}
    for value, keys in keys_of.items():
        if len(keys) == 1:
            only_under.setdefault(next(iter(keys)), set()).add(value)
    return _Distractors(value for value, _ in rows), only_under


def _add_from_others(
    out: dict[str, Question],
    key: str,
    topic: str,
    prompt: str,
    right: str,
    pool: tuple[_Distractors, dict[str, set[str]]],
    row_key: str,
    rng: random.Random,
    explanation: str,
    facts: Sequence[Any],
) -> None:
    """Add a question whose distractors are other rows' values (not from rows with the same key), if any exist."""
    distractors, only_under = pool
    folded_key = row_key.casefold()
    wrong = distractors.sample(folded_key, only_under.get(folded_key, set()), DEFAULT_CHOICES - 1, rng, right)
    if wrong:
        out[key] = _shuffled(key, topic, prompt, right, wrong, rng, explanation, facts)


def _from_timeline(facts: FactBase, rng: random.Random) -> dict[str, Question]:
    entries: list[TimelineEntry] = facts.of_kind("timeline")
    out: dict[str, Question] = {}
    years = sorted({e.year for e in entries})
    titles = _Distractors(e.title for e in entries)
    years_of: dict[str, set[int]] = {}  # folded title -> the years it is used in
    titles_in: dict[int, set[str]] = {}  # year -> folded titles of that year
    for e in entries:
        years_of.setdefault(e.title.casefold(), set()).add(e.year)
        titles_in.setdefault(e.year, set()).add(e.title.casefold())
    for entry in entries:
        # Another entry with the same title in another year would make a second year right.
        same_title_years = years_of[entry.title.casefold()] - {entry.year}
        wrong = _years_near(entry.year, years, DEFAULT_CHOICES - 1, rng, same_title_years)
        key = f"gen:tl-year:{entry.id}"
        out[key] = _shuffled(
            key,
            "timeline",
            f"In which year did this happen: {entry.title}?",
            str(entry.year),
            wrong,
            rng,
            f"{entry.year}: {entry.title}. {entry.impact}",
            [entry],
        )
        # "Which of these happened in YEAR?": other events of the same year would also be right.
        wrong_events = titles.sample(entry.year, titles_in[entry.year], DEFAULT_CHOICES - 1, rng)
        if wrong_events:
            key = f"gen:tl-event:{entry.id}"
            out[key] = _shuffled(
                key,
                "timeline",
                f"Which of these happened in {entry.year}?",
                entry.title,
                wrong_events,
                rng,
                f"{entry.year}: {entry.title}. {entry.impact}",
                [entry],
            )
    return out


def _from_figures(facts: FactBase, topic: str, rng: random.Random) -> dict[str, Question]:
    out: dict[str, Question] = {}
    for fig in facts.of_kind("figure"):
        fig: Figure
        if fig.topic != topic:
            continue
        wrong = figure_distractors(fig.value, DEFAULT_CHOICES - 1, rng)
        if not wrong:
            continue
        key = f"gen:fig:{fig.id}"
        out[key] = _shuffled(
            key,
            topic,
            f"Which figure is right? {fig.label}",
            fig.value,
            wrong,
            rng,
            fig.detail,
            [fig],
        )
    return out


def _from_perspectives(facts: FactBase, rng: random.Random) -> dict[str, Question]:
    rows: list[Perspective] = facts.of_kind("perspective")
    out: dict[str, Question] = {}
    by_view = _other_rows([(r.perspective, r.view) for r in rows])
    by_quote = _other_rows([(r.quote_source, r.quote) for r in rows])
    for row in rows:
        # A group whose view (or quote) reads the same would also be right: never offer it.
        _add_from_others(
            out,
            f"gen:view:{row.id}",
            "us-russia",
            f"Which group's view of US–Russia ties is summed up as “{row.view}”?",
            row.perspective,
            by_view,
            row.view,
            rng,
            f"{row.perspective}: “{row.view}”. Key quote: “{row.quote}” ({row.quote_source}).",
            [row],
        )
        _add_from_others(
            out,
            f"gen:quote:{row.id}",
            "us-russia",
            f"Where is this quote from: “{row.quote}”?",
            row.quote_source,
            by_quote,
            row.quote,
            rng,
            f"“{row.quote}” ({row.quote_source}) sums up the {row.perspective} view: {row.view}.",
            [row],
        )
    return out


def _from_economic(facts: FactBase, rng: random.Random) -> dict[str, Question]:
    rows: list[EconomicMeasure] = facts.of_kind("economic")
    out: dict[str, Question] = {}
    by_action = _other_rows([(r.russian_response, r.us_action) for r in rows])
    by_impact = _other_rows([(r.us_action, r.impact) for r in rows])
    for row in rows:
        explanation = f"{row.us_action} → Russia: {row.russian_response}. Impact: {row.impact}."
        _add_from_others(
            out,
            f"gen:econ-response:{row.id}",
            "us-russia",
            f"How did Russia respond to the US measure “{row.us_action}”?",
            row.russian_response,
            by_action,
            row.us_action,
            rng,
            explanation,
            [row],
        )
        _add_from_others(
            out,
            f"gen:econ-impact:{row.id}",
            "us-russia",
            f"Which US measure had this real-world impact: “{row.impact}”?",
            row.us_action,
            by_impact,
            row.impact,
            rng,
            explanation,
            [row],
        )
    return out


def _clear_members(alliance: Alliance) -> list[str]:
    """Members whose status is not in doubt (not suspended, not in a pair exception)."""
    in_exceptions = {code for exception in alliance.pair_exceptions for code in exception.pair}
    return [m.code for m in alliance.members if m.suspended is None and m.code not in in_exceptions]


def _from_alliances(facts: FactBase, rng: random.Random) -> dict[str, Question]:
    alliances: list[Alliance] = facts.of_kind("alliance")
    out: dict[str, Question] = {}
    everyone = sorted(
        {m.code for a in alliances for m in [*a.members, *a.former_members, *a.disputed_members]}
    )
    for alliance in alliances:
        all_current = {m.code for m in alliance.members}
        # Former and disputed members are neither clearly in nor clearly out: never use them as "not a member".
        doubtful = {m.code for m in [*alliance.former_members, *alliance.disputed_members]}
        clear = _clear_members(alliance)
        outsiders = [c for c in everyone if c not in all_current and c not in doubtful]
        if len(clear) >= DEFAULT_CHOICES - 1 and outsiders:
            members = rng.sample(clear, DEFAULT_CHOICES - 1)
            outsider = rng.choice(outsiders)
            key = f"gen:not-member:{alliance.id}"
            out[key] = _shuffled(
                key,
                "alliances",
                f"Which of these is not a member of {alliance.short_name}?",
                country_name(outsider),
                [country_name(c) for c in members],
                rng,
                f"{country_name(outsider)} is not a member of {alliance.short_name}; "
                f"{', '.join(country_name(c) for c in sorted(members))} are.",
                [alliance],
            )
        if len(alliance.members) < 3:
            continue
        years = [m.joined for m in alliance.members if m.joined is not None]
        # Founding members "joined" when the treaty began: only later accessions make a question.
        founding = {alliance.signed, alliance.in_force, min(years, default=None)}
        for member in alliance.members:
            if member.joined is None or member.joined in founding:
                continue
            wrong_years = {
                m.joined
                for m in [*alliance.former_members, *alliance.disputed_members]
                if m.code == member.code and m.joined is not None
            }
            wrong = _year_distractors(
                member.joined, [*years, alliance.signed], DEFAULT_CHOICES - 1, rng, wrong_years
            )
            note = f" ({member.note})" if member.note else ""
            key = f"gen:joined:{alliance.id}:{member.code}"
            out[key] = _shuffled(
                key,
                "alliances",
                f"When did {country_name(member.code)} join {alliance.short_name}?",
                str(member.joined),
                wrong,
                rng,
                f"{country_name(member.code)} joined {alliance.short_name} in {member.joined}{note}.",
                [alliance],
            )
    return out


def _from_atop(facts: FactBase, rng: random.Random) -> dict[str, Question]:
    """"In which year was this alliance signed?" for every alliance of the record with a checked name.

    The right year is the one ATOP dates the alliance from; the wrong ones are years other
    alliances were signed, near it. A name used for two alliances is not asked (two years would
    be right). Each question cites ATOP and the source of the name, like the timeline entry it
    explains itself with.
    """
    record = facts.record
    if record is None:
        return {}
    signed = {entry.id: entry for entry in cached_atop_entries(record) if entry.id.endswith("-signed")}
    named = [a for a in record.alliances.values() if a.name is not None]
    uses: dict[str, int] = {}
    for alliance in named:
        folded = alliance.name.name.casefold()  # type: ignore[union-attr]
        uses[folded] = uses.get(folded, 0) + 1
    years = sorted({a.begin.year for a in record.alliances.values()})
    made, namer = signings(record)
    by_era: dict[int, set[int]] = {}  # year -> states that signed an alliance that year
    for signing in made.values():
        by_era.setdefault(signing.year, set()).update(signing.founder_codes)
    out: dict[str, Question] = {}
    for alliance in sorted(named, key=lambda a: a.atopid):
        name = alliance.name.name  # type: ignore[union-attr]
        entry = signed.get(f"atop-{alliance.atopid}-signed")
        if entry is None or uses[name.casefold()] > 1:
            continue
        year = alliance.begin.year
        # A name that carries its own year ("… Pact (1926)") would give the answer away.
        name = re.sub(rf"\s*\({year}\)$", "", name)
        if str(year) in name:
            continue
        key = f"gen:atop-year:{alliance.atopid}"
        out[key] = _shuffled(
            key,
            "alliances",
            f"In which year was this alliance signed: {name}?",
            str(year),
            _years_near(year, years, DEFAULT_CHOICES - 1, rng),
            rng,
            f"{year}: {entry.impact}",
            [entry],
        )
        question = _signatory_question(alliance.atopid, name, entry, made, by_era, namer, rng)
        if question is not None:
            out[question.key] = question
    return out


def _signatory_question(
    atopid: int,
    name: str,
    entry: TimelineEntry,
    made: Mapping[int, Any],
    by_era: Mapping[int, set[int]],
    namer: Any,
    rng: random.Random,
) -> Question | None:
    """"Which of these states signed …?": one first-day member; the others never belonged to it.

    Wrong choices are states that signed other alliances within ten years (so of the era), named as
    they were called in that year, and never members of this alliance in any phase.
    """
    signing = made[atopid]
    if not signing.founders:
        return None
    year = signing.year
    era: set[int] = set()
    for y in range(year - 10, year + 11):
        era |= by_era.get(y, set())
    outsiders = sorted(era - signing.member_codes)
    founders = {n.casefold() for n in signing.founders}
    names: dict[str, str] = {}
    for ccode in outsiders:
        called = namer(ccode, year)
        if called.casefold() not in founders and not called.startswith("COW state"):
            names.setdefault(called.casefold(), called)
    if len(names) < DEFAULT_CHOICES - 1:
        return None
    # A founder the name already mentions ("Russo-Romanian…", "…the Ottoman Empire and Bulgaria")
    # would give the answer away; a distractor it mentions would look right.
    hidden = [f for f in sorted(signing.founders) if not _named_in(f, name)]
    if not hidden:
        return None
    right = rng.choice(hidden)
    pool = sorted(n for n in names.values() if not _named_in(n, name))
    if len(pool) < DEFAULT_CHOICES - 1:
        return None
    wrong = rng.sample(pool, DEFAULT_CHOICES - 1)
    key = f"gen:atop-signatory:{atopid}"
    return _shuffled(
        key,
        "alliances",
        f"Which of these states signed this alliance when it was made ({year}): {name}?",
        capital(right),
        [capital(w) for w in wrong],
        rng,
        entry.impact,
        [entry],
    )


_STATE_WORDS = {"the", "of", "and", "empire", "republic", "kingdom", "state", "states", "united", "federal",
                "people's", "democratic", "socialist", "union", "grand", "duchy", "south", "north", "east", "west"}


# How treaty names refer to some states other than by the start of their own name.
_NAME_PREFIXES = {
    "china": {"sin"},
    "kingdom": {"ang", "bri", "eng"},
    "states": {"ame"},
    "soviet": {"rus"},
    "russian": {"sov"},
}


def _plain_words(text: str) -> list[str]:
    words = re.split(r"[\W_]+", text.casefold())
    return [plain for w in words if (plain := unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode())]


def _named_in(state: str, name: str) -> bool:
    """Whether ``name`` mentions ``state``: a word of the name starts like a distinctive word of the
    state's name ("Polish" and Poland, "Turkey" and Türkiye, "Soviet-…" and the Soviet Union)."""
    words = _plain_words(state)
    starts = {w[:3] for w in words if w not in _STATE_WORDS and len(w) >= 3}
    for word in words:
        starts |= _NAME_PREFIXES.get(word, set())
    return any(w[:3] in starts for w in _plain_words(name))


# --------------------------------------------------------------------------- wars and today's ties


def _from_wars(facts: FactBase, rng: random.Random) -> dict[str, Question]:
    """Questions from the wars between states (data/wars.yaml), each checked against the same data
    the answers use, so no wrong choice is also true:
    "In YEAR, which of these states was at war with X?" (the others were not, that year) and
    "Which war did X and Y fight on opposite sides of?" (not the others)."""
    record = facts.record
    if record is None:
        return {}
    present = PresentDay(facts)
    wars: list[War] = facts.of_kind("war")
    _, namer = signings(record)
    today = datetime.now(UTC).date()
    out: dict[str, Question] = {}
    for war in wars:
        first_year = int(war.began[:4])
        for row in war.participants:
            year = max(first_year, int(row.entered[:4]))
            enemies = sorted({
                p.cow for p in war.participants
                if p.side != row.side and present.at_war(row.cow, p.cow, year, today) is not None
            })
            if not enemies:
                continue
            # Wrong choices: the war's other states and the states of nearby wars that were not at
            # war with this one that year, named as they were called then.
            nearby = {p.cow for w in wars if abs(int(w.began[:4]) - year) <= 10 for p in w.participants}
            calm = sorted(
                code for code in nearby | {p.cow for p in war.participants}
                if code != row.cow and code not in enemies and record.in_system(code, year)
                and present.at_war(row.cow, code, year, today) is None
            )
            name = namer(row.cow, year)
            if len(calm) >= DEFAULT_CHOICES - 1 and not name.startswith("COW state"):
                enemy = rng.choice(enemies)
                wrong = [capital(namer(c, year)) for c in rng.sample(calm, DEFAULT_CHOICES - 1)]
                right = capital(namer(enemy, year))
                if right.casefold() not in {w.casefold() for w in wrong} and len(set(wrong)) == len(wrong):
                    key = f"gen:war-enemy:{war.id}:{row.cow}:{year}"
                    question = _shuffled(
                        key, "alliances", f"In {year}, which of these states was at war with {name}?",
                        right, wrong, rng, f"{war.name}: {war.summary}", [war],
                    )
                    out[key] = dataclasses.replace(question, year=year)
            # Which war: the pair's other wars on opposite sides are never offered.
            enemy = enemies[0]
            if row.cow > enemy:
                continue  # each pair once
            fought = {
                w.name for w in wars
                if any(pa.cow == row.cow for pa in w.participants) and any(pb.cow == enemy for pb in w.participants)
                and any(present.at_war(row.cow, enemy, y, today) is not None
                        for y in range(int(w.began[:4]), int((w.ended or today.isoformat())[:4]) + 1))
            }
            others = [w.name for w in wars if w.name not in fought and abs(int(w.began[:4]) - year) <= 40]
            if len(others) >= DEFAULT_CHOICES - 1:
                a, b = capital(namer(row.cow, year)), namer(enemy, year)
                key = f"gen:war-which:{war.id}:{row.cow}:{enemy}"
                question = _shuffled(
                    key, "alliances", f"Which war did {a} and {b} fight on opposite sides of?",
                    war.name, rng.sample(sorted(others), DEFAULT_CHOICES - 1), rng,
                    f"{war.name}: {war.summary}", [war],
                )
                out[key] = dataclasses.replace(question, year=year)
    return out


def _from_states(facts: FactBase, rng: random.Random) -> dict[str, Question]:
    """"Which of these states existed in YEAR?" from the COW state list, once a decade per state: the
    wrong choices are states of the list that were not in the system within five years of YEAR."""
    record = facts.record
    if record is None:
        return {}
    _, namer = signings(record)
    out: dict[str, Question] = {}
    states = sorted(record.states.values(), key=lambda s: s.ccode)
    # Every state a name has stood for ("Yemen": the Yemen Arab Republic and today's Yemen): a wrong
    # choice must be wrong for each of them.
    stood_for: dict[str, set[int]] = {}
    for state in states:
        for start, _ in state.periods:
            stood_for.setdefault(capital(namer(state.ccode, start)).casefold(), set()).add(state.ccode)
    for year in range(1820, 2011, 10):
        alive = [s for s in states if s.member_in(year)]
        absent = [
            s for s in states
            if not any(s.member_in(y) for y in range(year - 5, year + 6)) and s.periods
        ]
        if len(absent) < DEFAULT_CHOICES - 1:
            continue
        for state in alive:
            name = namer(state.ccode, year)
            if name.startswith("COW state"):
                continue
            wrong = []
            for other in rng.sample(absent, len(absent)):
                called = capital(namer(other.ccode, other.periods[0][0]))
                alive_then = any(
                    record.states[code].member_in(y)
                    for code in stood_for.get(called.casefold(), ()) for y in range(year - 5, year + 6)
                )
                if (called.casefold() != name.casefold() and called not in wrong and not alive_then
                        and not called.startswith("COW state")):
                    wrong.append(called)
                if len(wrong) == DEFAULT_CHOICES - 1:
                    break
            if len(wrong) < DEFAULT_CHOICES - 1:
                continue
            key = f"gen:state-existed:{state.ccode}:{year}"
            question = _shuffled(
                key, "alliances", f"Which of these states was an independent member of the state system in {year}?",
                capital(name), wrong, rng,
                f"{capital(name)} was in the Correlates of War state list in {year}; the others were not, "
                f"within five years of it.",
                [_COW_FACT],
            )
            out[key] = dataclasses.replace(question, year=year)
    return out


def _from_present_ties(facts: FactBase, rng: random.Random) -> dict[str, Question]:
    """Questions from the present-day layer: what a pair calls its partnership, and which state holds
    a designated status (the wrong choices hold none of it, by the same data)."""
    ties: list[PresentTie] = facts.of_kind("tie")
    out: dict[str, Question] = {}
    current = [t for t in ties if t.until is None]
    # "What do A and B call their relationship?": other pairs' partnership names are wrong.
    resolver = default_resolver()
    # A name that names its countries ("China-France Comprehensive …") gives itself away: not used.
    partnerships = [
        t for t in current
        if t.layer == "partnership" and t.type != "reciprocal_access_agreement" and not resolver.find(t.name)
    ]
    names = sorted({t.name.casefold(): t.name for t in partnerships}.values())
    for tie in partnerships:
        own = {t.name.casefold() for t in partnerships if set(t.pair) == set(tie.pair)}
        wrong = [n for n in names if n.casefold() not in own]
        if len(wrong) < DEFAULT_CHOICES - 1:
            continue
        a, b = (resolver.get(code).in_sentence for code in tie.pair)
        key = f"gen:tie-name:{tie.id}"
        out[key] = _shuffled(
            key, "alliances", f"What do {a} and {b} officially call their relationship (as of {tie.as_of[:4]})?",
            tie.name, rng.sample(wrong, DEFAULT_CHOICES - 1), rng, tie.summary, [tie],
        )
    # "Which of these states is a designated TYPE of the giver?"
    for type_ in ("major_non_nato_ally", "major_defense_partner"):
        holders = [t for t in current if t.type == type_ and not t.name[:1].islower()]
        givers = {t.pair[0] for t in holders}
        for giver in givers:
            holding = {t.pair[1] for t in holders if t.pair[0] == giver}
            # Wrong: states the giver is a partner of or committed to (plausible), never a holder.
            near = sorted(
                {c for t in current if giver in t.pair and t.layer in ("commitment", "partnership") for c in t.pair}
                - holding - {giver} - {"TW"}
            )
            for tie in (t for t in holders if t.pair[0] == giver):
                if len(near) < DEFAULT_CHOICES - 1:
                    continue
                label = TIE_TYPES["designated"][type_]
                key = f"gen:tie-holder:{tie.id}"
                out[key] = _shuffled(
                    key, "alliances",
                    f"Which of these states is a {label} of {resolver.get(giver).in_sentence} (as of {tie.as_of[:4]})?",
                    country_name(tie.pair[1]),
                    [country_name(c) for c in rng.sample(near, DEFAULT_CHOICES - 1)], rng, tie.summary, [tie],
                )
    return out


# Topics cut from the timeline and alliance pools by the year their question is about, and one
# topic of everything. Their questions are the same ones, under the topic's name.
ERA_TOPICS: dict[str, tuple[int, int]] = {
    "19th-century": (1800, 1899),
    "world-wars": (1914, 1945),
    "cold-war": (1946, 1991),
}
MIXED_TOPIC = "mixed"
SERVER_TOPIC = "server"  # the questions a server's moderators wrote
# The COW state list as the cited fact of a question built from it (the record's own citation).
_COW_FACT = Point(
    id="cow-state-list", kind="point", section="roots", title="COW state list", text="Correlates of War state list.",
    sources=[COW_SOURCE], as_of=COW_AS_OF,
)
US_RUSSIA_TIMELINE = "timeline_us_russia.yaml"


DIFFICULTIES = ("easy", "medium", "hard")
# States most players know: a question whose answer is one of them is easier.
_WELL_KNOWN = frozenset({"US", "GB", "FR", "DE", "RU", "CN", "JP", "IT", "IN", "CA", "AU", "BR", "ES", "MX"})


def rate_difficulty(question: Question, facts: FactBase) -> str:
    """How hard a question is, from the data: how close the wrong years are to the right one, how
    well known the war or the state is, how famous the alliance (a short name people use)."""
    kind = question.key.split(":")[1] if question.key.startswith("gen:") else "hand"
    if kind in ("tl-year", "atop-year", "joined"):
        right = int(question.right_choice)
        gap = min(abs(int(c) - right) for i, c in enumerate(question.choices) if i != question.answer)
        return "easy" if gap >= 8 else "medium" if gap >= 3 else "hard"
    if kind in ("war-enemy", "war-which"):
        war_id = question.key.split(":")[2]
        if war_id in ("war-ww1", "war-ww2"):
            return "easy" if kind == "war-which" else "medium"
        return "medium" if (question.year or 0) >= 1945 else "hard"
    if kind == "state-existed":
        record = facts.record
        ccode = int(question.key.split(":")[2])
        state = record.states.get(ccode) if record is not None else None
        if state is not None and state.iso in _WELL_KNOWN:
            return "easy"
        return "hard" if (question.year or 0) < 1900 else "medium"
    if kind == "atop-signatory":
        record = facts.record
        alliance = record.alliances.get(int(question.key.rsplit(":", 1)[1])) if record is not None else None
        famous = alliance is not None and alliance.name is not None and alliance.name.short_name
        return "medium" if famous else "hard"
    if kind == "tie-name":
        return "hard"
    if kind == "not-member":
        return "easy"
    return "medium"


def generate_questions(facts: FactBase, topic: str, rng: random.Random | None = None) -> dict[str, Question]:
    """Every question in ``topic``'s pool, built from ``facts`` as they are now, keyed by a stable key,
    each rated easy, medium or hard."""
    pool = _generate(facts, topic, rng or random.Random())
    return {key: dataclasses.replace(q, difficulty=rate_difficulty(q, facts)) for key, q in pool.items()}


def _generate(facts: FactBase, topic: str, rng: random.Random) -> dict[str, Question]:
    if topic == SERVER_TOPIC:
        # The questions this server's moderators wrote (/manage facts add kind: quiz), whatever topic
        # each also belongs to: entries no bundled file holds.
        return {
            key: dataclasses.replace(question, topic=SERVER_TOPIC)
            for written_in in QUIZ_TOPICS
            for key, question in _hand_written(facts, written_in, rng).items()
            if key.removeprefix("q:") not in facts.origin
        }
    if topic in ERA_TOPICS or topic == MIXED_TOPIC:
        first, last = ERA_TOPICS.get(topic, (-10_000, 10_000))
        bases = ("timeline", "alliances") if topic in ERA_TOPICS else QUIZ_TOPICS
        pool: dict[str, Question] = {}
        for base in bases:
            for key, question in _generate(facts, base, rng).items():
                if topic == MIXED_TOPIC or (question.year is not None and first <= question.year <= last):
                    pool[key] = dataclasses.replace(question, topic=topic)
        return pool
    pool = _hand_written(facts, topic, rng)
    if topic == "us-russia":
        pool |= _from_figures(facts, topic, rng)
        pool |= _from_perspectives(facts, rng)
        pool |= _from_economic(facts, rng)
        # The US–Russia timeline's own events (data/timeline_us_russia.yaml), under this topic's name.
        for key, question in _from_timeline(facts, rng).items():
            if all(facts.origin.get(fact_id) == US_RUSSIA_TIMELINE for fact_id in question.fact_ids):
                pool[key] = dataclasses.replace(question, topic=topic)
    elif topic == "timeline":
        pool |= _from_timeline(facts, rng)
    elif topic == "alliances":
        pool |= _from_alliances(facts, rng)
        pool |= _from_atop(facts, rng)
        pool |= _from_figures(facts, topic, rng)
        pool |= _from_wars(facts, rng)
        pool |= _from_states(facts, rng)
        pool |= _from_present_ties(facts, rng)
    return pool


_POOLS: dict[tuple[int, str], tuple[weakref.ref[FactBase], dict[str, Question]]] = {}
_POOLS_KEPT = 64


def at_difficulty(pool: Mapping[str, Question], difficulty: str | None) -> dict[str, Question]:
    """The questions of one difficulty (all of them for None)."""
    return dict(pool) if difficulty is None else {k: q for k, q in pool.items() if q.difficulty == difficulty}


def question_pool(facts: FactBase, topic: str) -> dict[str, Question]:
    """``topic``'s pool for this fact-base view, generated once per view (a moderator's edit makes a
    new view, and so a new pool): generating the large topics takes most of a second. Each quiz
    shuffles the choices of the questions it asks (:func:`reshuffled`)."""
    key = (id(facts), topic)
    held = _POOLS.get(key)
    if held is not None and held[0]() is facts:
        return held[1]
    pool = generate_questions(facts, topic, random.Random(0))
    _POOLS[key] = (weakref.ref(facts), pool)
    while len(_POOLS) > _POOLS_KEPT:
        _POOLS.pop(next(iter(_POOLS)))
    return pool


def reshuffled(question: Question, rng: random.Random) -> Question:
    """The same question with its choices in a new order (the right one moves with them)."""
    order = list(range(len(question.choices)))
    rng.shuffle(order)
    choices = tuple(question.choices[i] for i in order)
    return dataclasses.replace(question, choices=choices, answer=order.index(question.answer))


@dataclass(frozen=True)
class QuizSettings:
    """A server's quiz defaults (None: the bot's own)."""

    topic: str | None = None
    difficulty: str | None = None
    questions: int | None = None
    seconds: int | None = None
    reveal_pause: int | None = None


@dataclass(frozen=True)
class Report:
    """A question members of a server reported, with each one's reason."""

    key: str
    topic: str
    prompt: str
    reasons: tuple[str, ...]


# --------------------------------------------------------------------------- rotation


def pick_next(
    pool: Iterable[str] | Mapping[str, Question],
    seen: Iterable[str],
    rng: random.Random,
    avoid: Iterable[str] = (),
) -> tuple[str | None, bool]:
    """Choose an unseen key; when all have been seen, start a new cycle.

    Returns ``(key, new_cycle)``. ``avoid`` holds the questions already asked in this very quiz:
    none of them is chosen again, even when the server's cycle has reset since they were asked
    (then they count as unseen), and, when ``pool`` maps keys to questions, no question built from
    a fact one of them was built from ("In which year…?" next to "Which of these happened in…?").
    Only a pool too small for the quiz falls back to repeating.
    """
    keys = sorted(set(pool))
    if not keys:
        return None, False
    seen_set, avoid_set = set(seen), set(avoid)
    used: set[str] = set()
    if isinstance(pool, Mapping):
        for key in avoid_set & set(keys):
            used.update(pool[key].fact_ids)

    def apart(key: str) -> bool:  # ``used`` is empty unless ``pool`` maps keys to questions
        return not used or not used.intersection(pool[key].fact_ids)  # type: ignore[index]

    fresh = [k for k in keys if k not in avoid_set]
    for candidates in ([k for k in fresh if apart(k)], fresh):
        unseen = [k for k in candidates if k not in seen_set]
        if unseen:
            return rng.choice(unseen), False
        if candidates:
            return rng.choice(candidates), True
    return rng.choice(keys), True


# --------------------------------------------------------------------------- scoring


class Score(NamedTuple):
    """Points for one answer and the player's streak after it (a tuple: built once per click)."""

    points: int
    streak: int


def score_answer(correct: bool, elapsed: float, duration: float, streak_before: int) -> Score:
    """Points for one answer and the player's streak after it."""
    if not correct:
        return Score(0, 0)
    remaining = 1.0 - min(max(elapsed, 0.0), duration) / duration if duration > 0 else 0.0
    streak = streak_before + 1
    bonus = min(STREAK_CAP, STREAK_STEP * (streak - 1))
    return Score(BASE_POINTS + round(SPEED_BONUS * remaining) + bonus, streak)


def streaks(results: Iterable[bool]) -> tuple[int, int]:
    """(current, best) run of right answers in a sequence of answers, oldest first."""
    current = best = 0
    for correct in results:
        current = current + 1 if correct else 0
        best = max(best, current)
    return current, best


def period_key(period: str, moment: datetime) -> int:
    """The board period a moment falls in, as a number that grows with time (stored with the totals).

    ``week``: the Unix day number of its ISO week's Monday (UTC); ``month``: year * 12 + month - 1.
    The storage layer computes the same numbers in SQL from answer times in Unix milliseconds.
    """
    moment = moment.astimezone(UTC)
    if period == "week":
        day = int(moment.timestamp() // 86400)
        return day - (day + 3) % 7  # day 0, 1 January 1970, was a Thursday
    if period == "month":
        return moment.year * 12 + moment.month - 1
    raise ValueError(f"no period key for {period!r}")


def period_start(period: str, now: datetime) -> datetime | None:
    """Start of the board's period in UTC: this calendar month, this ISO week (Monday), or None."""
    now = now.astimezone(UTC)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "month":
        return midnight.replace(day=1)
    if period == "week":
        return midnight - timedelta(days=midnight.weekday())
    return None
