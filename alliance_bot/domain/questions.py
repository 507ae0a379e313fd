"""Understand a free-text question: a pair question ("are X and Y allies?", maybe "in 1995"),
a question from the FAQ (matched with paraphrase tolerance), or nothing matched confidently.

Everything here is pure and works on one fact-base view; :func:`engine_for` builds the indices
once per view and reuses them.
"""

from __future__ import annotations

import logging
import re
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Literal, TypeAlias

from rapidfuzz import fuzz, process

from .alliances import (
    AllianceCatalogue,
    AllianceIndex,
    AllianceSummary,
    CountryAllies,
    PairVerdict,
    Period,
)
from .countries import QUALIFIERS, CountryResolver, Mention, Token, default_resolver, fold, tokenize
from .errors import UserError
from .facts import FactBase, Faq
from .languages import ELISION, detect, split_chinese

log = logging.getLogger(__name__)

# A FAQ match at or above this score is an answer; below it we offer the closest questions.
FAQ_CONFIDENT = 72.0
# A FAQ match this good wins even over a pair of countries named in the question.
FAQ_CERTAIN = 90.0
SUGGESTION_COUNT = 3

# Function words that carry no meaning for either check below.
_FUNCTION_WORDS = frozenset(
    [
        "&",
        "a",
        "about",
        "actually",
        "am",
        "an",
        "and",
        "anymore",
        "are",
        "as",
        "at",
        "be",
        "been",
        "being",
        "between",
        "by",
        "did",
        "do",
        "does",
        "had",
        "has",
        "have",
        "hey",
        "hi",
        "how",
        "in",
        "is",
        "me",
        "now",
        "of",
        "ok",
        "okay",
        "on",
        "or",
        "please",
        "really",
        "so",
        "still",
        "tell",
        "the",
        "their",
        "them",
        "there",
        "they",
        "to",
        "was",
        "were",
        "what",
        "whats",
        "who",
        "with",
    ]
)
# Words that add nothing to "are X and Y allies?": if only these remain besides the two
# countries (and a year), the question is a plain pair question.
PAIR_FILLER = _FUNCTION_WORDS | frozenset(
    [
        "alliance",
        "alliances",
        "allied",
        "allies",
        "ally",
        "already",
        "arent",
        "both",
        "bound",
        "countries",
        "country",
        "currently",
        "defence",
        "defense",
        "didnt",
        "doesnt",
        "dont",
        "each",
        "even",
        "formal",
        "formally",
        "friend",
        "friendly",
        "friends",
        "isnt",
        "military",
        "mutual",
        "nation",
        "nations",
        "no",
        "nor",
        "not",
        "officially",
        "other",
        "pact",
        "pacts",
        "partner",
        "partners",
        "partnership",
        "relations",
        "relationship",
        "right",
        "s",
        "security",
        "since",
        "technically",
        "today",
        "treaties",
        "treaty",
        "u",
        "versus",
        "vs",
        "wasnt",
        "werent",
        "year",
        "years",
        "yes",
        "yet",
    ]
)

# Words dropped before comparing a question with the FAQ.
_FAQ_STOP = _FUNCTION_WORDS | frozenset(
    [
        "any",
        "can",
        "could",
        "for",
        "from",
        "he",
        "her",
        "him",
        "his",
        "i",
        "it",
        "its",
        "just",
        "may",
        "might",
        "much",
        "my",
        "our",
        "shall",
        "she",
        "should",
        "some",
        "than",
        "that",
        "then",
        "these",
        "this",
        "those",
        "very",
        "we",
        "which",
        "why",
        "will",
        "would",
        "you",
        "your",
    ]
)
_FAQ_SYNONYMS = {
    "american": "us",
    "americans": "us",
    "washington": "us",
    "moscow": "ru",
    "kremlin": "ru",
    "putin": "ru",
    "russian": "ru",
    "russians": "ru",
    "ally": "ally",
    "allies": "ally",
    "allied": "ally",
    "alliance": "ally",
    "team": "ally",
    "unite": "ally",
    "together": "ally",
    "entities": "entity",
    "companies": "entity",
    "company": "entity",
    "firms": "entity",
    "individuals": "entity",
    "people": "entity",
    "sanctioned": "sanction",
    "sanctions": "sanction",
    "sanctioning": "sanction",
    "ties": "ties",
    "relations": "ties",
    "relationship": "ties",
    "diplomatic": "ties",
    "cut": "cut",
    "break": "cut",
    "broken": "cut",
    "broke": "cut",
    "sever": "cut",
    "severed": "cut",
    "embassies": "embassy",
    "trading": "trade",
    "trades": "trade",
    "dead": "dead",
    "over": "dead",
    "finished": "dead",
    "ww2": "ww2",
    "wwii": "ww2",
    "chinese": "china",
    "beijing": "china",
    "become": "become",
    "becoming": "become",
    "ever": "ever",
    "once": "ever",
    "before": "ever",
    "history": "ever",
    "historically": "ever",
}

_YEAR = re.compile(r"\b(1[0-9]{3}|20[0-9]{2}|2100)\b")
_DECADE = re.compile(r"\b(1[0-9]{2}0|20[0-9]0)[’']?s\b")
# Eras people name, with the years they stand for here.
_ERAS: tuple[tuple[re.Pattern[str], int, int, str], ...] = (
    (
        re.compile(r"\b(?:ww\s?(?:2|ii)|world\s+war\s+(?:2|ii|two)|(?:the\s+)?second\s+world\s+war)\b", re.I),
        1939,
        1945,
        "the Second World War",
    ),
    (
        re.compile(
            r"\b(?:ww\s?(?:1|i)|world\s+war\s+(?:1|i|one)|(?:the\s+)?first\s+world\s+war|(?:the\s+)?great\s+war)\b",
            re.I,
        ),
        1914,
        1918,
        "the First World War",
    ),
    (re.compile(r"\bcold\s+war\b", re.I), 1947, 1991, "the Cold War"),
)
# "who are russia's allies", "who was germany allied with in 1914", "does japan have allies".
_ALLIES_OF = (
    re.compile(r"^\s*(?:who|which\s+countries)\s+(?:are|were|is|was)\s+(?P<c>.+?)(?:['’]s|s['’])?\s+(?:allies|ally)\b", re.I),
    re.compile(r"^\s*(?:who|which\s+countries)\s+(?:is|was|are|were)\s+(?P<c>.+?)\s+(?:allied|an\s+ally)\s+(?:with|of|to)\b", re.I),
    re.compile(r"^\s*(?:who|which\s+countries)\s+(?:does|did)\s+(?P<c>.+?)\s+(?:ally|allied)\s+with\b", re.I),
    re.compile(r"^\s*(?:does|did|do)\s+(?P<c>.+?)\s+have\s+(?:any\s+)?(?:allies|an\s+ally)\b", re.I),
    re.compile(r"^\s*how\s+many\s+allies\s+(?:does|did|do)\s+(?P<c>.+?)\s+have\b", re.I),
    re.compile(
        r"^\s*(?:who|which\s+countries|what\s+countries)\s+(?:is|are|was|were)\s+(?:allied|allies|an\s+ally)\s+"
        r"(?:with|of|to)\s+(?P<c>.+)",
        re.I,
    ),
    # Last: unanchored, it scans the whole text; it needs an apostrophe (see _asks_allies_of).
    re.compile(r"^\s*(?:list\s+)?(?P<c>.+?)(?:['’]s|s['’])\s+allies\b", re.I),
)
_MEMBERS = re.compile(
    r"\b(?:what|which|how\s+many)\s+(?:countries|states|nations|members)\b|\bmembers?\s+of\b|\bwho\s+is\s+in\b", re.I
)
_MEMBER_CHECK = re.compile(r"^\s*(?:is|was|are|were)\s+(?P<c>.+?)\s+(?:in|a\s+member\s+of|part\s+of|still\s+in)\s+", re.I)
_JOINED = re.compile(r"^\s*when\s+did\s+(?P<c>.+?)\s+join\b", re.I)
_LEFT = re.compile(r"^\s*when\s+did\s+(?P<c>.+?)\s+(?:leave|quit|withdraw)\b", re.I)
_WHAT_IS = re.compile(r"^\s*(?:what|which)\s+(?:is|was)\s+(?:the\s+)?", re.I)
_SECOND_PART = re.compile(r"\s+(?:and|but|also)\s+(?:is|are|was|were|allied|allies|does|did)\b", re.I)

_EVER = re.compile(r"\b(?:ever|history|historically|in\s+the\s+past)\b", re.I)
_WHEN = re.compile(r"^\s*(?:when|since\s+when|what\s+year)\b", re.I)
_ERA_WORDS = frozenset(
    ["during", "ww", "wwi", "wwii", "world", "war", "first", "second", "great", "cold", "two", "one",
     "i", "ii", "ever", "when", "become", "became", "stop", "stopped", "being", "start", "started",
     "end", "ended", "history", "historically", "past", "s", "the", "allies", "since"]
)
_PAIR_TEMPLATES = (
    # "are X and Y allies"
    re.compile(
        r"^\s*(?:is|are|were|was)\s+(?:the\s+)?(?P<a>.+?)\s+(?:and|&|with)\s+"
        r"(?:the\s+)?(?P<b>.+?)\s+(?:allies|allied|an\s+ally|friends|partners|in\s+an\s+alliance)\b",
        re.IGNORECASE,
    ),
    # "is X allied with Y", "is X an ally of Y (in 1995)"
    re.compile(
        r"^\s*(?:is|are|were|was)\s+(?:the\s+)?(?P<a>.+?)\s+(?:allied|allies|an\s+ally|friends)\s+"
        r"(?:with|of|to)\s+(?:the\s+)?(?P<b>.+?)\s*(?:\bin\s+\d{4}\s*)?[?!.]*\s*$",
        re.IGNORECASE,
    ),
)


# --------------------------------------------------------------------------- answers


@dataclass(frozen=True)
class PairAnswer:
    """A verdict on two countries."""

    verdict: PairVerdict

    @property
    def is_us_russia(self) -> bool:
        return {self.verdict.a, self.verdict.b} == {"US", "RU"} and self.verdict.year is None


@dataclass(frozen=True)
class When:
    """The time a question asks about: one year, a range of years, or the whole record."""

    first: int
    last: int
    label: str  # "the Second World War", "the 1980s", "" for a plain year or range
    kind: Literal["year", "range", "ever", "when"]

    @property
    def year(self) -> int | None:
        return self.first if self.kind == "year" else None


@dataclass(frozen=True)
class Reading:
    """A first look at a question's words: the time it asks about and whether it asks for a
    country's allies. Read once per question: both the heavy check and the answer use it."""

    text: str  # the question, stripped
    current_year: int
    when: When | None
    allies_of: bool  # worded as "who are X's allies" (one of the ``_ALLIES_OF`` patterns)
    language: str = "en"  # the language it is written in (languages.detect); answers are in English

    @property
    def grades_many_pairs(self) -> bool:
        """A span of years or a country's allies: answering grades many pairs."""
        return (self.when is not None and self.when.kind != "year") or self.allies_of


# Chat spellings of the function words a pair question is built from (issue 23): read as the words
# they stand for, so "r the us n uk allys" reads like "are the us and uk allies". Kept by hand: they
# are the question's grammar, which no country library has.
_CASUAL_WORDS = {
    "r": "are", "ar": "are", "u": "you", "n": "and", "nd": "and", "rn": "now",
    "allys": "allies", "alies": "allies", "allis": "allies", "allyes": "allies", "alllies": "allies",
    "allie": "allies", "alied": "allied", "allyed": "allied", "aly": "ally", "ali": "ally",
}
# One pass over the question: whole words only, never a letter of an abbreviation ("U.S.", "N. Korea");
# "n" only before another word ("china n russia"); "n korea" opening the question is North Korea
# (_NORTH_FIRST), after a country it is "and korea" (asked back: which Korea?).
_CASUAL = re.compile(
    r"(?<![.\w])(?:(?P<n>n|nd)(?=\s+\w)|(?P<w>r|ar|u|rn|allys|alies|allis|allyes|alllies|allie|alied|allyed|aly|ali))"
    r"(?![.\w])|(?P<with>\bw/\s*)|(?P<amp>\s&\s)",
    re.IGNORECASE,
)


_CASUAL_KEYS = frozenset(_CASUAL_WORDS)
_NORTH_FIRST = re.compile(r"^(\s*(?:(?:r|are|is|were|was)\s+)?)n\s+korea\b", re.IGNORECASE)
_COMPASS = frozenset({"north", "south", "east", "west"})


def _casual_word(match: re.Match[str]) -> str:
    if match["with"]:
        return "with "
    if match["amp"]:
        return " and "
    return _CASUAL_WORDS[match.group(0).lower()]


# A shared noun: "north and south korea" is North Korea and South Korea.
_SHARED_NOUN = re.compile(
    r"\b(north|south|east|west)\s+and\s+(north|south|east|west)\s+([a-z]+)", re.IGNORECASE
)


def casual_text(question: str) -> str:
    """The question with chat spellings of its function words and shared nouns spelled out, French
    elisions undone and a Chinese question split into words."""
    text = question
    if not text.isascii():
        text = split_chinese(ELISION.sub("", text), default_resolver().unspaced_names)
    elif "'" in text:
        text = ELISION.sub("", text)
    words = set(text.lower().replace("?", " ").replace(",", " ").split())
    if words & _CASUAL_KEYS or "&" in text or "w/" in text:  # most questions have none of them
        text = _CASUAL.sub(_casual_word, _NORTH_FIRST.sub(r"\1north korea", text))
    if " and " in text and words & _COMPASS:
        text = _SHARED_NOUN.sub(lambda m: f"{m[1]} {m[3]} and {m[2]} {m[3]}", text)
    return text


def question_language(question: str, locale: str | None = None) -> str:
    """The language a question is written in (cheap; for an answer recalled without reading it)."""
    text = casual_text(question.strip())
    return detect(fold(text).split(), text, locale)


def read_question(question: str, current_year: int, locale: str | None = None) -> Reading:
    """Read ``question`` for :meth:`AskEngine.answer` (cheap: a few patterns over its words).

    ``locale`` (the interaction's, e.g. "es-ES") only helps tell languages apart."""
    text = casual_text(question.strip())
    when = find_when(text, current_year)
    language = detect(fold(text).split(), text, locale)
    return Reading(text, current_year, when, _asks_allies_of(text), language)


def _asks_allies_of(text: str) -> bool:
    """True if ``text`` is worded as "who are X's allies" (one of the ``_ALLIES_OF`` patterns)."""
    has_apostrophe = "'" in text or "’" in text  # the last pattern needs one
    return any(pattern.search(text) for pattern in (_ALLIES_OF if has_apostrophe else _ALLIES_OF[:-1]))


@dataclass(frozen=True)
class HistoryAnswer:
    """A pair over a span of years: each period of one standing, with its treaty."""

    a: str
    b: str
    when: When
    periods: tuple[Period, ...]

    @property
    def allied_periods(self) -> tuple[Period, ...]:
        return tuple(p for p in self.periods if p.allied)


@dataclass(frozen=True)
class AlliesAnswer:
    """'Who are Russia's allies (in 1914)?': the country's partners grouped by treaty."""

    allies: CountryAllies
    left_out: str = ""  # a second question in the same text that this answer does not cover
    label: str = ""  # the era asked about, if any ("the Second World War")


AllianceQuestion: TypeAlias = Literal["what", "members", "member_check", "joined", "left"]


@dataclass(frozen=True)
class AllianceAnswer:
    """'What countries are in NATO?', 'is Hungary in NATO?', 'when did Finland join NATO?'."""

    summary: AllianceSummary
    kind: AllianceQuestion
    place: str | None = None
    left_out: str = ""


@dataclass(frozen=True)
class FaqAnswer:
    """A question from the FAQ that matched confidently."""

    faq: Faq
    score: float


NoVerdictReason = Literal["unknown_place", "same_country", "ambiguous", "future_year", "no_match", "needs_pair"]


@dataclass(frozen=True)
class NoVerdict:
    """No honest answer: what could not be resolved, and what to offer instead."""

    reason: NoVerdictReason
    unresolved: str = ""
    # Countries the unresolved name might mean (ambiguous) or resembles (unknown).
    candidates: tuple[str, ...] = ()
    # The other country of the pair, when one side resolved: re-asking pairs it with a candidate.
    other: str | None = None
    year: int | None = None
    # The closest FAQ entries, best first, for "did you mean" buttons.
    closest: tuple[Faq, ...] = field(default_factory=tuple)


Answer: TypeAlias = PairAnswer | HistoryAnswer | AlliesAnswer | AllianceAnswer | FaqAnswer | NoVerdict


# --------------------------------------------------------------------------- text helpers


def faq_key(
    text: str,
    resolver: CountryResolver | None = None,
    *,
    tokens: list[Token] | None = None,
    mentions: list[Mention] | None = None,
) -> str:
    """The words of a question that matter for FAQ matching, in a canonical spelling.

    Countries become their codes ("america" and "the U.S." both become "us"); a lower-case
    "us" that is not the country ("tell us about russia") is dropped like any pronoun.
    ``tokens`` and ``mentions`` are the text's words and countries if the caller has read them
    already; they are read again only where "World War Two" is respelled first.
    """
    resolver = resolver or default_resolver()
    spelled = text.replace("World War Two", "ww2").replace("world war two", "ww2")
    if tokens is None or mentions is None or spelled != text:
        tokens = tokenize(spelled)
        mentions = resolver.find(text, tokens=tokens)
    countries = {}
    for mention in mentions:
        if not mention.ambiguous:
            countries[mention.first_token] = (mention.last_token, mention.codes[0].casefold())
    words: list[str] = []
    index = 0
    while index < len(tokens):
        if index in countries:
            last, code = countries[index]
            words.append(code)
            index = last + 1
            continue
        word = tokens[index].folded
        index += 1
        if word in _FAQ_STOP or word == "us":
            continue
        word = _FAQ_SYNONYMS.get(word, word)
        if not word:
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.append(word)
    return " ".join(words)


def _faq_scores(query: str, choices: list[str]) -> list[float]:
    """Paraphrase-tolerant similarity (0-100) of a canonical question to each of ``choices``, in order."""
    # token_set_ratio alone scores any subset 100 ("russia" vs "does russia have us allies");
    # token_sort_ratio keeps the lengths honest. One rapidfuzz pass each (not a Python call per choice).
    scores = [0.0] * len(choices)
    for _, score, position in process.extract(query, choices, scorer=fuzz.token_set_ratio, limit=None):
        scores[position] = 0.4 * score
    for _, score, position in process.extract(query, choices, scorer=fuzz.token_sort_ratio, limit=None):
        scores[position] += 0.6 * score
    return scores


# The first year of the record: ATOP's treaties begin in 1815.
RECORD_FIRST_YEAR = 1815


# Every pattern find_when looks for needs a digit (years, decades) or one of these words, as
# case-folded text spells it: most questions name no time, and are read without the patterns.
# (No "i" in them: under re.I "ı" matches "i", yet case-folds to itself.)
_TIME_WORDS = ("ww", "world", "great", "cold", "ever", "stor", "past", "when", "what")
_DIGIT = re.compile(r"[0-9]")


def _may_name_a_time(text: str) -> bool:
    if _DIGIT.search(text):
        return True
    folded = text.casefold()
    return any(word in folded for word in _TIME_WORDS)


def find_when(text: str, current_year: int) -> When | None:
    """The year, era, decade or span a question asks about, if any ("in 1944", "during WW2")."""
    if not _may_name_a_time(text):
        return None
    for pattern, first, last, label in _ERAS:
        if pattern.search(text):
            return When(first, last, label, "range")
    decade = _DECADE.search(text)
    if decade:
        first = int(decade.group(1))
        return When(first, min(first + 9, current_year), f"the {first}s", "range")
    years = [int(y) for y in _YEAR.findall(text)]
    if _WHEN.search(text):
        return When(RECORD_FIRST_YEAR, current_year, "", "when")
    if len(years) >= 2 and re.search(r"\b(?:between|from)\b", text, re.I):
        first, last = sorted(years[:2])
        return When(first, min(last, current_year), "", "range")
    if years:
        return When(years[0], years[0], "", "year")
    if _EVER.search(text):
        return When(RECORD_FIRST_YEAR, current_year, "", "ever")
    return None


# --------------------------------------------------------------------------- the engine


class AskEngine:
    """Answers questions against one fact-base view; build with :func:`engine_for`."""

    def __init__(self, facts: FactBase, resolver: CountryResolver | None = None) -> None:
        self.facts = facts
        self.resolver = resolver or default_resolver()
        self.alliances = AllianceIndex(facts)
        self.catalogue = AllianceCatalogue(self.alliances, facts)
        self.treaty_count = len(facts.of_kind("alliance"))  # every pair answer cites it
        self.faqs: list[Faq] = facts.of_kind("faq")
        self._faq_keys: list[str] = []
        self._faq_owner: list[int] = []
        self._faq_exact: dict[str, int] = {}
        self._recent: OrderedDict[tuple[str, int], Answer] = OrderedDict()
        self._faq_pairs: dict[str, frozenset[str]] = {}
        for index, faq in enumerate(self.faqs):
            for text in (faq.question, *faq.paraphrases):
                self._faq_keys.append(faq_key(text, self.resolver))
                self._faq_owner.append(index)
                self._faq_exact.setdefault(fold(text), index)

    def _faq_pair(self, faq: Faq) -> frozenset[str]:
        """The countries a FAQ entry's question names (part of its match: a pair question about
        another pair never gets it)."""
        cached = self._faq_pairs.get(faq.id)
        if cached is None:
            found = self.resolver.find(faq.question)
            cached = self._faq_pairs[faq.id] = frozenset(m.codes[0] for m in found if not m.ambiguous)
        return cached

    # ------------------------------------------------------------------ pairs

    def pair(
        self, a: str, b: str, *, year: int | None = None, current_year: int | None = None
    ) -> PairVerdict:
        """Grade two countries given as ISO codes (raises UserError for the same one twice)."""
        return self.alliances.grade(a, b, year=year, current_year=current_year)

    def ask_pair(self, a_text: str, b_text: str, *, year: int | None, current_year: int) -> Answer:
        """Answer /ally: two typed (or autocompleted) country names, re-validated here."""
        if year is not None and year > current_year:
            return NoVerdict("future_year", year=year)
        first, second = self.resolver.resolve(a_text), self.resolver.resolve(b_text)
        for this, other in ((first, second), (second, first)):
            other_code = other.country.code if other.country is not None else None
            if this.status == "ambiguous":
                codes = tuple(c.code for c in this.candidates)
                return NoVerdict("ambiguous", this.query, codes, other=other_code, year=year)
            if this.status != "exact" or this.country is None:
                # A typo'd name gets "did you mean …?" choices, never a silent swap.
                codes = tuple(c.code for c in (this.candidates or ((this.country,) if this.country else ())))
                return NoVerdict("unknown_place", this.query, codes, other=other_code, year=year)
        assert first.country is not None and second.country is not None
        if first.country.code == second.country.code:
            return NoVerdict("same_country", a_text, (first.country.code,), year=year)
        return PairAnswer(
            self.pair(first.country.code, second.country.code, year=year, current_year=current_year)
        )


    # ------------------------------------------------------------------ FAQ

    def faq_matches(
        self,
        text: str,
        limit: int = SUGGESTION_COUNT,
        *,
        tokens: list[Token] | None = None,
        mentions: list[Mention] | None = None,
    ) -> list[tuple[Faq, float]]:
        """The best FAQ entries for ``text`` (one score per entry, its best phrasing), best first.

        ``tokens`` and ``mentions``: the text as the caller has read it already (see :func:`faq_key`).
        """
        key = faq_key(text, self.resolver, tokens=tokens, mentions=mentions)
        exact = self._faq_exact.get(fold(text))
        best: dict[int, float] = {}
        if exact is not None:
            best[exact] = 100.0
        if key:
            scores = _faq_scores(key, self._faq_keys)
            # Best phrasing first, equal scores in list order: an entry's first, best score counts.
            for position in sorted(range(len(scores)), key=lambda i: -scores[i]):
                score = scores[position]
                owner = self._faq_owner[position]
                if score > best.get(owner, -1.0):
                    best[owner] = score
        ranked = sorted(best.items(), key=lambda row: -row[1])[:limit]
        return [(self.faqs[index], score) for index, score in ranked]

    # ------------------------------------------------------------------ free text

    def ask(self, question: str, *, current_year: int) -> Answer:
        """Answer a free-text question: a pair verdict, a FAQ entry, or an honest "no verdict"."""
        remembered = self.recall(question, current_year)
        return remembered if remembered is not None else self.answer(read_question(question, current_year))

    def recall(self, question: str, current_year: int) -> Answer | None:
        """The answer given to this exact question this year, if still remembered.

        Answers are immutable and depend only on this view, the exact text and the year, so the
        most recent ones are remembered: popular questions are asked again and again.
        """
        key = (question.strip(), current_year)
        cached = self._recent.get(key)
        if cached is not None:
            self._recent.move_to_end(key)
        return cached

    def answer(self, reading: Reading) -> Answer:
        """Answer a question read by :func:`read_question` (and remember the answer)."""
        answer = self._ask(reading)
        self._recent[(reading.text, reading.current_year)] = answer
        if len(self._recent) > _RECENT_ANSWERS:
            self._recent.popitem(last=False)
        return answer

    def is_heavy(self, question: str, current_year: int) -> bool:
        """True if answering grades many pairs (a span of years, a country's allies): run it off the loop.

        A cheap look at the words only; answers already remembered are never heavy.
        """
        if (question.strip(), current_year) in self._recent:
            return False
        return read_question(question, current_year).grades_many_pairs

    def _ask(self, reading: Reading) -> Answer:
        text, current_year, when = reading.text, reading.current_year, reading.when
        tokens = tokenize(text)
        mentions = self.resolver.find(text, tokens=tokens)
        year = when.year if when is not None else None
        if when is not None and when.first > current_year:
            return NoVerdict("future_year", year=when.first)
        qualified = self._qualified_unknown(tokens, mentions)
        if qualified is not None:
            return qualified
        about_one = self._one_country_or_alliance(reading, mentions)
        if about_one is not None:
            return about_one
        if when is not None and when.kind != "year":
            pair = [m.codes[0] for m in mentions if not m.ambiguous]
            pair = list(dict.fromkeys(pair))
            if len(pair) == 2 and len(mentions) == 2:
                periods = self.alliances.history(
                    pair[0], pair[1], when.first, when.last, current_year=current_year
                )
                return HistoryAnswer(pair[0], pair[1], when, tuple(periods))

        exact = self._faq_exact.get(fold(text).rstrip(" ?"))
        if exact is not None:
            return FaqAnswer(self.faqs[exact], 100.0)
        if self._plain_pair(tokens, mentions) and not any(m.ambiguous for m in mentions):
            # The common case, "are X and Y allies (in 1995)?": no FAQ matching needed.
            plain_codes = list(dict.fromkeys(m.codes[0] for m in mentions))
            if len(plain_codes) == 2:
                verdict = self.pair(plain_codes[0], plain_codes[1], year=year, current_year=current_year)
                return PairAnswer(verdict)
        faq_ranked = self.faq_matches(text, tokens=tokens, mentions=mentions)
        top_faq = faq_ranked[0] if faq_ranked else None
        named = {code for m in mentions if not m.ambiguous for code in m.codes[:1]}
        if top_faq is not None and len(named) == 2 and self._faq_pair(top_faq[0]) != frozenset(named):
            # Pair first: two places named win over a FAQ entry about another pair (issue 23).
            top_faq, faq_ranked = None, [f for f in faq_ranked if self._faq_pair(f[0]) == frozenset(named)]
            top_faq = faq_ranked[0] if faq_ranked else None
        if top_faq and top_faq[1] >= FAQ_CERTAIN and not self._plain_pair(tokens, mentions):
            return FaqAnswer(*top_faq)

        ambiguous = [m for m in mentions if m.ambiguous]
        resolved = [m for m in mentions if not m.ambiguous]
        codes = list(dict.fromkeys(code for m in resolved for code in m.codes))
        template = next((m for m in (t.search(text) for t in _PAIR_TEMPLATES) if m), None)

        if ambiguous and len(resolved) <= 1 and (template or resolved):
            other = resolved[0].codes[0] if resolved else None
            return NoVerdict(
                "ambiguous",
                ambiguous[0].text,
                ambiguous[0].codes,
                other=other,
                year=year,
                closest=tuple(f for f, _ in faq_ranked),
            )
        if template and len(codes) < 2:
            unknown = self._unknown_side(template, mentions)
            if unknown is not None:
                span, candidates = unknown
                if len(codes) == 1 and len(resolved) >= 2:
                    return NoVerdict("same_country", resolved[0].text, (codes[0],), year=year)
                other = codes[0] if codes else None
                return NoVerdict(
                    "unknown_place",
                    span,
                    candidates,
                    other=other,
                    year=year,
                    closest=tuple(f for f, _ in faq_ranked),
                )
        if len(codes) == 1 and len(resolved) >= 2 and self._plain_pair(tokens, mentions):
            return NoVerdict("same_country", resolved[0].text, (codes[0],), year=year)

        pair_codes = self._pair_codes(tokens, resolved)
        if len(pair_codes) == 2 and (
            self._plain_pair(tokens, mentions) or not top_faq or top_faq[1] < FAQ_CONFIDENT
        ):
            verdict = self.pair(pair_codes[0], pair_codes[1], year=year, current_year=current_year)
            return PairAnswer(verdict)
        if top_faq and top_faq[1] >= FAQ_CONFIDENT:
            return FaqAnswer(*top_faq)
        return NoVerdict("no_match", year=year, closest=tuple(f for f, _ in faq_ranked))

    def _one_country_or_alliance(self, reading: Reading, mentions: list[Mention]) -> Answer | None:
        """Questions about one country's allies or about one alliance, from the same data."""
        text, when, current_year = reading.text, reading.when, reading.current_year
        year = when.year if when is not None and when.kind == "year" else None
        second = _SECOND_PART.search(text)
        first = text[: second.start()] if second else text
        left_out = text[second.start() :].strip() if second else ""
        key = self.catalogue.find(first)
        resolved = [m for m in mentions if not m.ambiguous and m.start < len(first)]
        if key is not None:
            kind, place = _alliance_question(first, resolved)
            if kind is not None:  # the alliance's members are looked up only when they are the answer
                return AllianceAnswer(self.catalogue.summary(key, year, current_year), kind, place, left_out)
        if len(resolved) != 1:
            return None
        allies_of = _asks_allies_of(first) if second else reading.allies_of
        if not allies_of:
            return None
        place = resolved[0].codes[0]
        if when is not None and when.kind == "range":
            allies = self.alliances.allies_during(place, when.first, when.last, current_year=current_year)
        else:
            allies = self.alliances.allies_of(place, year=year, current_year=current_year)
        return AlliesAnswer(allies, left_out, when.label if when is not None else "")

    def _qualified_unknown(self, tokens: list, mentions: list[Mention]) -> NoVerdict | None:
        """"East Germany" is not Germany: a qualifier left outside a name is never dropped silently."""
        for mention in mentions:
            index = mention.first_token - 1
            if index >= 0 and tokens[index].folded in QUALIFIERS:
                span = f"{tokens[index].raw} {mention.text}"
                resolution = self.resolver.resolve(span)
                codes = tuple(c.code for c in resolution.candidates)
                return NoVerdict("unknown_place", span, codes)
        return None

    def _pair_codes(self, tokens: list, resolved: list[Mention]) -> list[str]:
        """The two countries a question pairs, leaving out a third one it is "against"."""
        codes: list[str] = []
        for mention in resolved:
            before = tokens[mention.first_token - 1].folded if mention.first_token > 0 else ""
            if before in ("against", "than", "like", "unlike", "including", "via"):
                continue
            for code in mention.codes:
                if code not in codes:
                    codes.append(code)
        return codes[:2] if len(codes) == 2 else codes

    def _plain_pair(self, tokens: list, mentions: list[Mention]) -> bool:
        """True if, besides two country names and a year, the question holds only filler words."""
        if len(mentions) < 2:
            return False
        used = set()
        for mention in mentions:
            used.update(range(mention.first_token, mention.last_token + 1))
        for index, token in enumerate(tokens):
            if index in used:
                continue
            if token.folded in PAIR_FILLER or token.folded in _ERA_WORDS or _YEAR.fullmatch(token.raw):
                continue
            return False
        return True

    def _unknown_side(
        self, template: re.Match[str], mentions: list[Mention]
    ) -> tuple[str, tuple[str, ...]] | None:
        """For "are X and Y allies", the side that names no known country, with its closest names."""
        for side in ("a", "b"):
            start, end = template.span(side)
            if any(m.start < end and m.end > start for m in mentions):
                continue
            span = template.group(side).strip(" ?!.,")
            if not span or fold(span) in PAIR_FILLER:
                return None
            resolution = self.resolver.resolve(span)
            if resolution.country is not None:
                return None
            return span, tuple(c.code for c in resolution.candidates)
        return None


def _alliance_question(first: str, resolved: list[Mention]) -> tuple[AllianceQuestion | None, str | None]:
    """What a text naming an alliance asks about it, and the place asked about; (None, None) if neither."""
    joined_left_or_in: tuple[tuple[re.Pattern[str], AllianceQuestion], ...] = (
        (_JOINED, "joined"), (_LEFT, "left"), (_MEMBER_CHECK, "member_check")
    )
    for pattern, kind in joined_left_or_in:
        if pattern.search(first) and resolved:
            return kind, resolved[0].codes[0]
    if _MEMBERS.search(first):
        return "members", None
    if _WHAT_IS.search(first) and not resolved:
        return "what", None
    return None, None


# --------------------------------------------------------------------------- per-view cache

_RECENT_ANSWERS = 512  # per view; an answer is a few small frozen objects
_ENGINES: OrderedDict[int, tuple[weakref.ref[FactBase], AskEngine]] = OrderedDict()
_ENGINE_CACHE_SIZE = 64


def engine_for(facts: FactBase) -> AskEngine:
    """The engine for this fact-base view, built once per view (a moderator edit makes a new view)."""
    key = id(facts)
    cached = _ENGINES.get(key)
    if cached is not None and cached[0]() is facts:
        _ENGINES.move_to_end(key)
        return cached[1]
    engine = AskEngine(facts)
    _ENGINES[key] = (weakref.ref(facts), engine)
    while len(_ENGINES) > _ENGINE_CACHE_SIZE:
        _ENGINES.popitem(last=False)
    return engine


def check_year(year: int | None, current_year: int) -> None:
    """Refuse a year in the future (the data describes the past and present only)."""
    if year is not None and year > current_year:
        raise UserError(f"I can only answer for years up to {current_year}, not the future.")


# --------------------------------------------------------------------------- claims in a message

_CLAIM_BREAK = re.compile(r"(?<=[.!?;])\s+|\n+")
# Words that join a sentence to the one before it ("And is Finland in NATO?"): not part of the claim.
_LEADING_JOINERS = re.compile(r"^(?:(?:and|also|but|so|plus|or|then|oh|ok|okay|well)\b[\s,]*)+", re.IGNORECASE)
Claim = tuple[str, "PairAnswer | AllianceAnswer"]


def claims_in(text: str, limit: int = 20) -> list[str]:
    """The sentences of a message, each one a claim the engine can read on its own."""
    parts = (_LEADING_JOINERS.sub("", " ".join(part.split())) for part in _CLAIM_BREAK.split(text))
    return [part for part in parts if len(part) >= 3][:limit]


def find_claims(engine: AskEngine, text: str, current_year: int, limit: int = 3) -> list[Claim]:
    """The alliance claims a message makes, in its order: each sentence naming a pair of countries
    or an alliance, answered as /ask would; one answer per pair and year or per alliance."""
    found: list[Claim] = []
    seen: set[object] = set()
    for sentence in claims_in(text):
        try:
            answer = engine.answer(read_question(sentence, current_year))
        except UserError:  # e.g. a year in the future: not a claim about what is or was
            continue
        if isinstance(answer, PairAnswer):
            key: object = (frozenset((answer.verdict.a, answer.verdict.b)), answer.verdict.year)
        elif isinstance(answer, AllianceAnswer):
            key = answer.summary.key
        else:
            continue
        if key not in seen:
            seen.add(key)
            found.append((sentence, answer))
            if len(found) == limit:
                break
    return found
