"""The country resolver: names, aliases, typos, traps and autocomplete."""

from __future__ import annotations

import copy
import random

import pytest

from alliance_bot.domain.countries import default_resolver, tokenize
from bench._children import miss_questions


@pytest.fixture(scope="module")
def resolver():
    return default_resolver()


FOUND = [
    # the seed's phrasings
    ("is u.s. allies with russia", ["US", "RU"]),
    ("are the us and russia allies", ["US", "RU"]),
    ("are us and russia allies", ["US", "RU"]),
    # aliases
    ("Is the U.S.A. allied with Russia?", ["US", "RU"]),
    ("are America and the Russian Federation allies", ["US", "RU"]),
    ("are the States and Canada allies", ["US", "CA"]),
    ("is the United States of America allied with the UK", ["US", "GB"]),
    ("are Britain and Portugal allies", ["GB", "PT"]),
    ("are Great Britain and Germany allies", ["GB", "DE"]),
    ("are North Korea and China allies", ["KP", "CN"]),
    ("is the DPRK allied with Russia", ["KP", "RU"]),
    ("are South Korea and the US allies", ["KR", "US"]),
    ("is the ROK allied with Japan", ["KR", "JP"]),
    ("are Türkiye and Azerbaijan allies", ["TR", "AZ"]),
    ("are Turkey and Greece allies", ["TR", "GR"]),
    ("are the Czech Republic and Poland allies", ["CZ", "PL"]),
    ("are Czechia and Slovakia allies", ["CZ", "SK"]),
    ("is Holland allied with Belgium", ["NL", "BE"]),
    ("is Burma allied with China", ["MM", "CN"]),
    ("are Ivory Coast and France allies", ["CI", "FR"]),
    ("are Côte d'Ivoire and France allies", ["CI", "FR"]),
    ("are the UAE and the UK allies", ["AE", "GB"]),
    ("is Iran allied with Syria", ["IR", "SY"]),
    # punctuation and case
    ("ARE FRANCE AND GERMANY ALLIES???", ["FR", "DE"]),
    ("US-Russia relations", ["US", "RU"]),
    # typos
    ("is Rusia allied with the Untied States", ["RU", "US"]),
    ("are frnace and germny allies", ["FR", "DE"]),
    ("is Itlay allied with Spian", ["IT", "ES"]),
    # longest match first
    ("is Guinea-Bissau allied with Guinea", ["GW", "GN"]),
    ("are South Africa and Africa allies", ["ZA"]),
]


@pytest.mark.parametrize(("text", "codes"), FOUND)
def test_finds_countries_in_text(resolver, text, codes):
    found = [m.codes[0] for m in resolver.find(text) if not m.ambiguous]
    assert found == codes


TRAPS = [
    "are and is in no",  # UAE, Andorra, Iceland, India, Norway by their codes
    "tell us about russia",
    "give us the answer",
    "is there an alliance in the news?",
    "no, I mean the other thing",
    "the woman spoke about a sedan",
    "help us understand",
]


@pytest.mark.parametrize("text", TRAPS)
def test_ordinary_words_never_become_countries(resolver, text):
    codes = {code for m in resolver.find(text) for code in m.codes}
    assert codes <= {"RU"}
    assert "US" not in codes


def test_lower_case_us_is_the_country_only_in_context(resolver):
    assert "US" in {m.codes[0] for m in resolver.find("are the us and russia allies")}
    assert "US" not in {m.codes[0] for m in resolver.find("tell us about russia")}


@pytest.mark.parametrize(("name", "codes"), [("Korea", {"KR", "KP"}), ("Congo", {"CG", "CD"})])
def test_ambiguous_names_are_not_guessed(resolver, name, codes):
    resolution = resolver.resolve(name)
    assert resolution.status == "ambiguous"
    assert resolution.country is None
    assert {c.code for c in resolution.candidates} == codes


@pytest.mark.parametrize(
    ("typed", "code"),
    [("Germany", "DE"), ("germny", "DE"), ("DE", "DE"), ("the US", "US"), ("Untied States", "US"), ("UK", "GB")],
)
def test_resolve_a_single_field(resolver, typed, code):
    resolution = resolver.resolve(typed)
    assert resolution.country is not None and resolution.country.code == code


@pytest.mark.parametrize("typed", ["narnia", "no", "in", "xyzzy"])
def test_unknown_names_resolve_to_nothing(resolver, typed):
    assert resolver.resolve(typed).country is None


def test_autocomplete_is_capped_and_best_first(resolver):
    assert len(resolver.suggest("", 25)) == 25
    assert resolver.suggest("germ")[0].code == "DE"
    assert resolver.suggest("united")[0].code in {"US", "GB", "AE"}
    korea = [c.code for c in resolver.suggest("korea")[:2]]
    assert set(korea) == {"KR", "KP"}
    assert len(resolver.suggest("a", 25)) <= 25


def _names_by_trying_every_length(resolver, tokens) -> list[tuple[int, int, tuple[str, ...]]]:
    """The straightforward exact scan: at each word, every length from the longest name down."""
    folded = [t.folded for t in tokens]
    found = []
    i = 0
    while i < len(tokens):
        for n in range(min(resolver._max_words, len(tokens) - i), 0, -1):
            key = " ".join(folded[i : i + n])
            codes = resolver._keys.get(key)
            if codes and resolver._accept(tokens, i, n, key):
                found.append((i, i + n - 1, codes))
                i += n
                break
        else:
            i += 1
    return found


def test_finding_names_from_their_first_word_agrees_with_trying_every_length(resolver):
    texts = [text for text, _ in FOUND] + miss_questions(300)
    for key in resolver._keys:
        texts += [f"are {key} and {key} allies", f"is the {key} allied with us in 1990?", f"{key}"]
    named = 0
    for text in texts:
        tokens = tokenize(text)
        exact = [(m.first_token, m.last_token, m.codes) for m in resolver.find(text, tokens=tokens) if not m.fuzzy]
        expected = _names_by_trying_every_length(resolver, tokens)
        assert exact == expected, text
        named += len(expected)
    assert named >= 2 * len(resolver._keys)


class _EveryName(dict):
    """Stands in for the resolver's names by length: every name of the number of words asked."""

    def __init__(self, by_words: dict[int, list[str]]) -> None:
        super().__init__()
        self.by_words = by_words

    def get(self, key, default=None):
        return self.by_words.get(key[0], [])


def test_typo_matching_against_names_of_near_length_agrees_with_every_name(resolver):
    every = copy.copy(resolver)
    every._fuzzy_near = _EveryName(resolver._fuzzy_keys)
    rng = random.Random(5)
    texts = [*miss_questions(300), "is Rusia allied with the Untied States", "are frnace and germny allies"]
    for n in (1, 2, 3):
        for key in resolver._fuzzy_keys.get(n, []):
            cut = rng.randrange(1, len(key) - 1)
            swapped = key[:cut] + key[cut + 1] + key[cut] + key[cut + 2 :]
            for typo in (key[:cut] + key[cut + 1 :], swapped, key[:cut] + "x" + key[cut + 1 :], key + "an"):
                texts.append(f"are {typo} and narnia allies")
    fuzzy = 0
    for text in texts:
        found = resolver.find(text)
        assert found == every.find(text), text
        fuzzy += any(m.fuzzy for m in found)
    assert fuzzy > len(texts) // 2  # most typos were matched, not only agreed on as unknown


def _words_one_position_at_a_time(text: str) -> list[tuple[str, str, int, int, bool]]:
    """The straightforward reading: at each position a dotted abbreviation, a word, or on to the next word."""
    from alliance_bot.domain.countries import _DOTTED, _WORD, fold

    words = []
    dotted_spans = {match.start(): match.end() for match in _DOTTED.finditer(text)}
    pos = 0
    while pos < len(text):
        if pos in dotted_spans:
            end = dotted_spans[pos]
            letters = "".join(ch for ch in text[pos:end] if ch.isalpha())
            words.append((letters, letters.casefold(), pos, end, True))
            pos = end
            continue
        match = _WORD.match(text, pos)
        if match:
            folded = fold(match.group(0)).replace(" ", "")
            if folded:
                words.append((match.group(0), folded, match.start(), match.end(), False))
            pos = match.end()
        else:
            following = _WORD.search(text, pos)
            pos = following.start() if following else len(text)
    return words


def test_reading_words_agrees_with_trying_each_position(resolver):
    texts = [text for text, _ in FOUND] + miss_questions(1100)
    texts += ["U.S.A. and the U.K.", "is u.s.allied with r.o.k.?", "x'U.S. and e.u.", "Türkiye’s allies", "Ærø and ÅLAND"]
    texts += ["  ", "1995", "the U. S. and S. Korea", "don't l'Italie", "İstanbul ıstanbul ß", "a.b.c.d.e.", "__init__ x_y"]
    for text in texts:
        assert [tuple(token) for token in tokenize(text)] == _words_one_position_at_a_time(text), text
