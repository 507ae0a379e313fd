"""The country resolver: ISO 3166 names (pycountry) plus an alias table, tolerant of typos.

Free text is scanned for country names longest match first. Only full names and listed
aliases count, never bare ISO codes, so ordinary words ("are", "and", "is", "in", "no") never
become countries. Lower-case "us" is a country only where the sentence treats it as one.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal, NamedTuple

import pycountry
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .places import HISTORICAL_PLACES

log = logging.getLogger(__name__)

# What people call a country's people, from the countryinfo library (data/names/demonyms.tsv,
# written by scripts/import_names.py): "the americans", "the chinese", "israelis".
DEMONYMS_FILE = Path("names") / "demonyms.tsv"  # under the bundled data directory
# Nicknames and plural slang no library lists, kept by hand: "the brits", "aussies", "the soviets".
PEOPLE_SLANG: dict[str, str] = {
    "brits": "GB",
    "brit": "GB",
    "limeys": "GB",
    "aussies": "AU",
    "aussie": "AU",
    "kiwis": "NZ",
    "yanks": "US",
    "yankees": "US",
    "soviets": "USSR",
    "the soviet": "USSR",
    "nazis": "DE",
    "nazi germany": "DE",
    "saudis": "SA",
    "emiratis": "AE",
    "poles": "PL",
    "danes": "DK",
    "swedes": "SE",
    "finns": "FI",
    "turks": "TR",
    "greeks": "GR",
    "spaniards": "ES",
    "scots": "GB",
    "filipinos": "PH",
    "north koreans": "KP",
    "south koreans": "KR",
}


I18N_FILE = Path("names") / "countries_i18n.tsv"  # CLDR names in seven languages (scripts/import_names.py)
# Short forms the CLDR names lack, kept by hand: what people write for the big powers.
I18N_SHORT: dict[str, str] = {
    "ee uu": "US", "eeuu": "US", "eua": "US", "сша": "US", "美國": "US",
    "рф": "RU", "кнр": "CN", "中國": "CN", "俄國": "RU", "英國": "GB", "日本国": "JP",
}


def _bundled(relative: Path) -> Path:
    from ..config import BUNDLED_DATA_DIR  # the checkout's data/ or the installed package's

    return BUNDLED_DATA_DIR / relative


def load_i18n(path: Path | None = None) -> dict[str, str]:
    """Country names in other languages (folded) -> ISO code; empty if the file is missing."""
    try:
        lines = (path or _bundled(I18N_FILE)).read_text(encoding="utf-8").splitlines()
    except OSError:
        log.warning("no country names in other languages at %s", path)
        return {}
    names = {}
    for line in lines:
        if line and not line.startswith("#"):
            _language, name, code = line.split("\t")
            names.setdefault(name, code)
    return {**names, **I18N_SHORT}


def load_demonyms(path: Path | None = None) -> dict[str, str]:
    """Demonym (folded) -> ISO code, from the generated file; empty if it is missing."""
    path = path or _bundled(DEMONYMS_FILE)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        log.warning("no demonyms file at %s: people's names ('the french') will not be understood", path)
        return {}
    pairs = (line.split("\t") for line in lines if line and not line.startswith("#"))
    return {word: code for word, code in pairs}


# Names people use that pycountry does not list (folded form on the left).
ALIASES: dict[str, str] = {
    "us": "US",
    "usa": "US",
    "america": "US",
    "the states": "US",
    "united states": "US",
    "united states of america": "US",
    "uk": "GB",
    "britain": "GB",
    "great britain": "GB",
    "united kingdom": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "russia": "RU",
    "russian federation": "RU",
    "north korea": "KP",
    "n korea": "KP",
    "dprk": "KP",
    "democratic peoples republic of korea": "KP",
    "south korea": "KR",
    "s korea": "KR",
    "rok": "KR",
    "republic of korea": "KR",
    "turkey": "TR",
    "turkiye": "TR",
    "czech republic": "CZ",
    "czechia": "CZ",
    "holland": "NL",
    "the netherlands": "NL",
    "netherlands": "NL",
    "burma": "MM",
    "myanmar": "MM",
    "ivory coast": "CI",
    "cote divoire": "CI",
    "iran": "IR",
    "persia": "IR",
    "syria": "SY",
    "vietnam": "VN",
    "laos": "LA",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
    "moldova": "MD",
    "taiwan": "TW",
    "palestine": "PS",
    "vatican": "VA",
    "vatican city": "VA",
    "holy see": "VA",
    "cape verde": "CV",
    "swaziland": "SZ",
    "eswatini": "SZ",
    "macedonia": "MK",
    "north macedonia": "MK",
    "drc": "CD",
    "dr congo": "CD",
    "democratic republic of the congo": "CD",
    "democratic republic of congo": "CD",
    "congo kinshasa": "CD",
    "republic of the congo": "CG",
    "congo brazzaville": "CG",
    "east timor": "TL",
    "micronesia": "FM",
    "brunei": "BN",
    "uae": "AE",
    "nz": "NZ",
    "emirates": "AE",
    "the emirates": "AE",
    "saudi": "SA",
    "ksa": "SA",
    "prc": "CN",
    "peoples republic of china": "CN",
    "mainland china": "CN",
    "byelorussia": "BY",
    "belorussia": "BY",
    "kyrgyzstan": "KG",
    "the philippines": "PH",
    "the bahamas": "BS",
    "the gambia": "GM",
    "falkland islands": "FK",
    "falklands": "FK",
    "st lucia": "LC",
    "st kitts and nevis": "KN",
    "st vincent and the grenadines": "VC",
    "sao tome and principe": "ST",
    "bosnia": "BA",
    "bosnia herzegovina": "BA",
}

# Names that fit more than one country: never guessed, always asked back.
AMBIGUOUS: dict[str, tuple[str, ...]] = {
    "korea": ("KR", "KP"),
    "congo": ("CG", "CD"),
    "virgin islands": ("VG", "VI"),
}

# How a country is named in a sentence, where pycountry's name reads oddly.
DISPLAY: dict[str, tuple[str, str]] = {
    "US": ("United States", "the United States"),
    "GB": ("United Kingdom", "the United Kingdom"),
    "RU": ("Russia", "Russia"),
    "KR": ("South Korea", "South Korea"),
    "KP": ("North Korea", "North Korea"),
    "NL": ("Netherlands", "the Netherlands"),
    "PH": ("Philippines", "the Philippines"),
    "AE": ("United Arab Emirates", "the United Arab Emirates"),
    "BS": ("Bahamas", "the Bahamas"),
    "GM": ("Gambia", "the Gambia"),
    "CD": ("DR Congo", "the Democratic Republic of the Congo"),
    "CG": ("Republic of the Congo", "the Republic of the Congo"),
    "CZ": ("Czechia", "Czechia"),
    "TR": ("Türkiye", "Türkiye"),
    "VA": ("Vatican City", "Vatican City"),
    "PS": ("Palestine", "Palestine"),
    "FM": ("Micronesia", "Micronesia"),
    "DO": ("Dominican Republic", "the Dominican Republic"),
    "CF": ("Central African Republic", "the Central African Republic"),
    "MK": ("North Macedonia", "North Macedonia"),
    "VG": ("British Virgin Islands", "the British Virgin Islands"),
    "VI": ("US Virgin Islands", "the US Virgin Islands"),
    "FK": ("Falkland Islands", "the Falkland Islands"),
}

# Words that a lower-case "us" follows when it means the speaker ("tell us about russia").
_US_OBJECT_OF = frozenset(
    [
        "tell",
        "give",
        "show",
        "help",
        "let",
        "teach",
        "send",
        "allow",
        "make",
        "get",
        "for",
        "to",
        "about",
        "of",
        "from",
        "explain",
        "lets",
        "remind",
        "inform",
        "update",
        "brief",
        "join",
    ]
)
# Words next to a lower-case "us" that make it the country ("are the us and russia allies").
_US_COUNTRY_NEXT = frozenset(
    [
        "and",
        "or",
        "allies",
        "ally",
        "allied",
        "alliance",
        "vs",
        "versus",
        "russia",
        "relations",
        "military",
        "government",
    ]
)
_US_COUNTRY_PREV = frozenset(["the", "and", "or", "between", "are", "is", "were", "was", "vs", "versus"])

# Words that make a different state of a name ("East Germany"): never dropped silently.
QUALIFIERS = frozenset(
    ["east", "west", "north", "south", "eastern", "western", "northern", "southern", "upper", "lower"]
)

# Common words never fuzzily matched to a country.
_NOT_FUZZY = frozenset(
    [
        "about",
        "above",
        "after",
        "again",
        "against",
        "allies",
        "allied",
        "alliance",
        "always",
        "among",
        "another",
        "answer",
        "anyone",
        "around",
        "because",
        "before",
        "being",
        "between",
        "could",
        "doesnt",
        "during",
        "each",
        "either",
        "enemies",
        "enemy",
        "every",
        "friends",
        "friendly",
        "their",
        "there",
        "these",
        "those",
        "though",
        "through",
        "today",
        "treaty",
        "under",
        "until",
        "where",
        "whether",
        "which",
        "while",
        "would",
        "people",
        "state",
        "states",
        "still",
        "other",
        "others",
        "union",
        "united",
        "world",
        "years",
        "country",
        "countries",
        "nation",
        "nations",
        "partner",
        "partners",
        "military",
        "defence",
        "defense",
        "really",
        "actually",
        "stain",
        "indie",
        "chill",
        "tiger",
        "begin",
        "sedan",
        "sales",
        "whales",
        "women",
        "malts",
        "cuban",
        "chinese",
    ]
)

_DOTTED = re.compile(r"\b([A-Za-z])\.\s?([A-Za-z])\.(?:\s?([A-Za-z])\.)?")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_PUNCTUATION = re.compile(r"[^\w\s]|_")
_MAX_WORDS = 8
_FUZZY_MIN_LENGTH = 5
_FUZZY_WORDS = (3, 2, 1)  # typo-tolerant matches are tried on runs of this many words, longest first


def fold(text: str) -> str:
    """Lower-case, strip accents and apostrophes, and turn other punctuation into spaces."""
    if not text.isascii():  # plain ASCII has no accents to strip (NFKD leaves it as it is)
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("'", "").replace("’", "")
    if text.isalpha():  # a single word (most calls): no punctuation or spacing to change
        return text
    text = _PUNCTUATION.sub(" ", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Country:
    """A country as the bot names it."""

    code: str
    name: str
    in_sentence: str


class Token(NamedTuple):
    """One word of a question: its original spelling, folded form and position in the text.

    (A named tuple: a question makes one per word, at a third of a frozen dataclass's cost.)
    """

    raw: str
    folded: str
    start: int
    end: int
    dotted: bool = False


@dataclass(frozen=True)
class Mention:
    """A country (or several, if ambiguous) named at ``start:end`` of the question text."""

    codes: tuple[str, ...]
    text: str
    start: int
    end: int
    first_token: int
    last_token: int
    fuzzy: bool = False

    @property
    def ambiguous(self) -> bool:
        return len(self.codes) > 1


@dataclass(frozen=True)
class Resolution:
    """The result of resolving one name typed into a country field."""

    query: str
    status: Literal["exact", "fuzzy", "ambiguous", "unknown"]
    country: Country | None = None
    candidates: tuple[Country, ...] = field(default_factory=tuple)


def tokenize(text: str) -> list[Token]:
    """Split text into words, joining dotted abbreviations such as U.S. or u.s.a."""
    tokens: list[Token] = []
    dotted_spans: dict[int, int] = {}
    for match in _DOTTED.finditer(text):
        dotted_spans[match.start()] = match.end()
    pos = 0
    while pos < len(text):
        if pos in dotted_spans:
            end = dotted_spans[pos]
            raw = text[pos:end]
            letters = "".join(ch for ch in raw if ch.isalpha())
            tokens.append(Token(letters, letters.casefold(), pos, end, dotted=True))
            pos = end
            continue
        # The next word (a dotted abbreviation starts with a letter, so none is skipped).
        match = _WORD.search(text, pos)
        if match is None:
            break
        if match.start() != pos and match.start() in dotted_spans:
            pos = match.start()
            continue
        raw = match.group(0)
        # A plain ASCII word folds to its lower case (fold would find nothing else to change).
        folded = raw.lower() if raw.isascii() and raw.isalpha() else fold(raw).replace(" ", "")
        if folded:
            tokens.append(Token(raw, folded, match.start(), match.end()))
        pos = match.end()
    return tokens


class CountryResolver:
    """Resolve country names in free text and in single fields; build once, reuse everywhere."""

    def __init__(self, demonyms: Mapping[str, str] | None = None, foreign: Mapping[str, str] | None = None) -> None:
        self._countries: dict[str, Country] = {}
        self._keys: dict[str, tuple[str, ...]] = {}
        self._foreign: set[str] = set()
        for record in pycountry.countries:
            code = record.alpha_2
            common = getattr(record, "common_name", None)
            base = common or record.name
            if "," in base:  # "Congo, The Democratic Republic of the" and the like
                base = base.split(",")[0]
            name, in_sentence = DISPLAY.get(code, (base, base))
            self._countries[code] = Country(code, name, in_sentence)
            for spelling in (record.name, common, getattr(record, "official_name", None), name):
                if spelling:
                    self._add_key(spelling, code)
        for alias, code in ALIASES.items():
            self._add_key(alias, code, replace=True)
        for place in HISTORICAL_PLACES:
            self._countries[place.code] = Country(place.code, place.name, place.in_sentence)
            for spelling in (place.name, place.in_sentence, *place.aliases):
                self._add_key(spelling, place.code, replace=True)
        for alias, codes in AMBIGUOUS.items():
            self._keys[fold(alias)] = codes
        # People's names: exact words only (never matched fuzzily, never over a country's own name).
        people = {**(demonyms or {}), **PEOPLE_SLANG}
        for name, code in (foreign or {}).items():  # names in other languages: exact, never over English
            key = fold(name)
            if key and key not in self._keys and code in self._countries:
                self._keys[key] = (code,)
                self._foreign.add(key)
        exact_only: set[str] = set()
        for word, code in people.items():
            if code not in self._countries:
                continue
            for spelling in (word, f"the {word}"):
                key = fold(spelling)
                if key and key not in self._keys:
                    self._keys[key] = (code,)
                    exact_only.add(key)
        # Names written without spaces around them (Chinese), for the question to be split into words.
        self.unspaced_names = tuple(sorted((k for k in self._keys if any("\u4e00" <= ch <= "\u9fff" for ch in k)),
                                           key=len, reverse=True))
        self._by_length: dict[int, list[str]] = {}
        for key in self._keys:
            self._by_length.setdefault(len(key.split()), []).append(key)
        self._fuzzy_keys: dict[int, list[str]] = {
            n: [
                k for k in keys
                if len(k) >= _FUZZY_MIN_LENGTH and self._keys[k] and len(self._keys[k]) == 1
                and k not in exact_only and k not in self._foreign
            ]
            for n, keys in self._by_length.items()
        }
        # _fuzzy compares a phrase only with the names whose length is within the edits it allows
        # (one edit changes the length by one at most), kept in the same order: the best is the same.
        self._fuzzy_near: dict[tuple[int, int], list[str]] = {
            (n, length): [k for k in keys if abs(len(k) - length) <= _allowed_edits(length)]
            for n, keys in self._fuzzy_keys.items()
            if n in _FUZZY_WORDS
            for length in range(_FUZZY_MIN_LENGTH, max(map(len, keys), default=0) + 3)
        }
        self._all_keys = list(self._keys)
        self._max_words = min(_MAX_WORDS, max(self._by_length))
        # find() tries, at each word, only the lengths (in words) of the names starting with it, longest first.
        lengths: dict[str, set[int]] = {}
        for key in self._keys:
            words = key.split()
            if len(words) <= self._max_words:
                lengths.setdefault(words[0], set()).add(len(words))
        self._lengths_from = {word: sorted(ns, reverse=True) for word, ns in lengths.items()}
        self._suggest_rows = sorted(
            ((fold(c.name), c) for c in self._countries.values()), key=lambda row: row[1].name.casefold()
        )

    def _add_key(self, spelling: str, code: str, *, replace: bool = False) -> None:
        key = fold(spelling)
        if not key:
            return
        if replace or key not in self._keys:
            self._keys[key] = (code,)
        elif code not in self._keys[key]:
            self._keys[key] = (*self._keys[key], code)

    # ------------------------------------------------------------------ lookups

    def get(self, code: str) -> Country:
        """The country with this ISO alpha-2 code; raises KeyError if unknown."""
        return self._countries[code]

    def all(self) -> list[Country]:
        return list(self._countries.values())

    def lookup(self, name: str) -> tuple[str, ...]:
        """Codes for an exact (folded) name or alias; empty if none."""
        return self._keys.get(fold(name), ())

    def resolve(self, query: str) -> Resolution:
        """Resolve what someone typed into a country field: name, alias, ISO code or a typo."""
        cleaned = query.strip()
        if len(cleaned) in (2, 3) and cleaned.isupper():
            record = pycountry.countries.get(alpha_2=cleaned) if len(cleaned) == 2 else None
            if record is None and len(cleaned) == 3:
                record = pycountry.countries.get(alpha_3=cleaned)
            if record is not None and cleaned not in ("US", "UK", "USA", "UAE"):
                return Resolution(query, "exact", self._countries[record.alpha_2])
        tokens = tokenize(cleaned)
        key = " ".join(t.folded for t in tokens)
        if key.startswith("the ") and key not in self._keys:
            key = key[4:]
        codes = self._keys.get(key, ())
        if len(codes) == 1:
            return Resolution(query, "exact", self._countries[codes[0]])
        if len(codes) > 1:
            return Resolution(query, "ambiguous", candidates=tuple(self._countries[c] for c in codes))
        if not key:
            return Resolution(query, "unknown")
        matches = process.extract(key, self._all_keys, scorer=fuzz.ratio, limit=8, score_cutoff=50)
        ranked: list[tuple[Country, float]] = []
        for match_key, score, _ in matches:
            for code in self._keys[match_key]:
                if all(country.code != code for country, _ in ranked):
                    ranked.append((self._countries[code], score))
        if ranked and len(key) >= 4:
            best_key, _best_score, _ = matches[0]
            close = fuzz.ratio(key, best_key)
            if close >= 85 and len(self._keys[best_key]) == 1:
                return Resolution(query, "fuzzy", ranked[0][0], tuple(c for c, _ in ranked[:3]))
        return Resolution(query, "unknown", candidates=tuple(c for c, _ in ranked[:3]))

    def suggest(self, typed: str, limit: int = 25) -> list[Country]:
        """Autocomplete: countries whose names start with, contain or resemble ``typed``; best first."""
        key = fold(typed)
        if not key:
            return [row[1] for row in self._suggest_rows[:limit]]
        scored: dict[str, tuple[float, Country]] = {}

        def offer(country: Country, score: float) -> None:
            if country.code not in scored or scored[country.code][0] < score:
                scored[country.code] = (score, country)

        for codes in (self._keys.get(key, ()),):
            for code in codes:
                offer(self._countries[code], 300)
        for name_key, country in self._suggest_rows:
            if name_key.startswith(key):
                offer(country, 250 - len(name_key) / 100)
            elif f" {key}" in f" {name_key}":
                offer(country, 200 - len(name_key) / 100)
        for alias_key, codes in self._keys.items():
            if alias_key.startswith(key):
                for code in codes:
                    offer(self._countries[code], 220 - len(alias_key) / 100)
        if len(scored) < limit and len(key) >= 3:
            for match_key, score, _ in process.extract(key, self._all_keys, scorer=fuzz.WRatio, limit=limit):
                if score >= 80:
                    for code in self._keys[match_key]:
                        offer(self._countries[code], score)
        ranked = sorted(scored.values(), key=lambda row: (-row[0], row[1].name.casefold()))
        return [country for _, country in ranked[:limit]]

    # ------------------------------------------------------------------ free text

    def find(self, text: str, *, tokens: list[Token] | None = None) -> list[Mention]:
        """Every country named in ``text``, longest match first, left to right."""
        tokens = tokens if tokens is not None else tokenize(text)
        folded = [t.folded for t in tokens]
        mentions: list[Mention] = []
        used = [False] * len(tokens)
        i = 0
        while i < len(tokens):
            found = None
            for n in self._lengths_from.get(folded[i], ()):
                if i + n > len(tokens):
                    continue
                key = " ".join(folded[i : i + n])
                codes = self._keys.get(key)
                if codes and self._accept(tokens, i, n, key):
                    found = (n, codes)
                    break
            if found:
                n, codes = found
                mentions.append(self._mention(text, tokens, i, n, codes))
                for j in range(i, i + n):
                    used[j] = True
                i += n
            else:
                i += 1
        if not any(len(m.codes) == 1 for m in mentions) or len(mentions) < 2:
            mentions.extend(self._fuzzy(text, tokens, used))
            mentions.sort(key=lambda m: m.start)
        return mentions

    def _accept(self, tokens: list[Token], i: int, n: int, key: str) -> bool:
        """Decide whether a matched name really names a country here (the "us" question)."""
        if key != "us" or n != 1:
            return True
        token = tokens[i]
        if token.dotted or token.raw == "US":
            return True
        prev = tokens[i - 1].folded if i > 0 else ""
        nxt = tokens[i + 1].folded if i + 1 < len(tokens) else ""
        if prev in _US_OBJECT_OF:
            return False
        return prev in _US_COUNTRY_PREV or nxt in _US_COUNTRY_NEXT or bool(self._keys.get(nxt))

    def _mention(
        self, text: str, tokens: list[Token], i: int, n: int, codes: tuple[str, ...], fuzzy: bool = False
    ) -> Mention:
        start, end = tokens[i].start, tokens[i + n - 1].end
        return Mention(tuple(codes), text[start:end], start, end, i, i + n - 1, fuzzy)

    def _fuzzy(self, text: str, tokens: list[Token], used: list[bool]) -> Iterable[Mention]:
        """Typo-tolerant matches over words no exact match used ("Rusia", "Untied States")."""
        out: list[Mention] = []
        i = 0
        while i < len(tokens):
            best: tuple[int, int, str] | None = None
            for n in _FUZZY_WORDS:
                if i + n > len(tokens) or any(used[i : i + n]):
                    continue
                words = [t.folded for t in tokens[i : i + n]]
                if any(w in _NOT_FUZZY for w in words) and n == 1:
                    continue
                phrase = " ".join(words)
                if len(phrase) < _FUZZY_MIN_LENGTH:
                    continue
                match = process.extractOne(
                    phrase,
                    self._fuzzy_near.get((n, len(phrase)), []),
                    scorer=OSA.distance,
                    score_cutoff=_allowed_edits(len(phrase)),
                    processor=None,
                )
                if match and match[0][0] == phrase[0] and (best is None or match[1] < best[0]):
                    best = (match[1], n, match[0])
            if best:
                _, n, key = best
                out.append(self._mention(text, tokens, i, n, self._keys[key], fuzzy=True))
                for j in range(i, i + n):
                    used[j] = True
                i += n
            else:
                i += 1
        return out


def _allowed_edits(length: int) -> int:
    """Typos tolerated in a name of ``length`` characters: one in a short name, two in a long one."""
    return 1 if length < 10 else 2


@lru_cache(maxsize=1)
def default_resolver() -> CountryResolver:
    """The shared resolver (pycountry's tables are read on first use, so warm it up off the loop)."""
    log.debug("building the country resolver")
    return CountryResolver(load_demonyms(), load_i18n())
