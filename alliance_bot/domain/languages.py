"""Questions in other languages (issue 23): which language a question is in, and Chinese words split.

Country names in Spanish, French, German, Portuguese, Russian, Ukrainian and Chinese come from CLDR
(data/names/countries_i18n.tsv, see scripts/import_names.py). What is kept here by hand is each
language's grammar of the question (its words for "and", "are" and "allies"), which no country
library has, and the one-line note that answers are in English for now.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

LANGUAGES = ("es", "fr", "de", "pt", "ru", "uk", "zh")

# The words that mark a language in an alliance question (folded: lower case, no accents).
QUESTION_WORDS: dict[str, frozenset[str]] = {
    "es": frozenset({"y", "son", "aliados", "aliado", "aliadas", "esta", "estan", "es", "alianza", "con"}),
    "fr": frozenset({"et", "sont", "allies", "allie", "alliees", "alliance", "est", "ce", "que", "avec", "elles", "ils"}),
    "de": frozenset({"und", "sind", "verbundete", "verbundet", "alliiert", "ist", "mit", "bundnis", "die", "der"}),
    "pt": frozenset({"e", "sao", "aliados", "aliado", "aliadas", "esta", "estao", "os", "o", "com"}),
    "ru": frozenset({"и", "союзники", "союзник", "союзницы", "ли", "являются"}),
    "uk": frozenset({"і", "та", "союзники", "союзник", "є", "чи"}),
    "zh": frozenset({"和", "与", "跟", "是", "盟友", "同盟", "盟国", "吗"}),
}
# Words of one language only: they decide between languages that share the rest.
ONLY_IN: dict[str, frozenset[str]] = {
    "es": frozenset({"y", "son", "estan"}),
    "pt": frozenset({"e", "sao", "estao"}),
    "uk": frozenset({"і", "та", "є", "чи"}),
    "ru": frozenset({"ли", "являются"}),
}
NOTES = {
    "es": "Las respuestas están en inglés por ahora.",
    "fr": "Les réponses sont en anglais pour l'instant.",
    "de": "Die Antworten sind vorerst auf Englisch.",
    "pt": "As respostas estão em inglês por enquanto.",
    "ru": "Пока ответы только на английском.",
    "uk": "Поки що відповіді лише англійською.",
    "zh": "目前仅提供英文回答。",
}
_LATIN_WORDS = frozenset().union(*(QUESTION_WORDS[language] for language in ("es", "fr", "de", "pt")))
_CJK = re.compile(r"[\u4e00-\u9fff]")
_UKRAINIAN_LETTERS = re.compile(r"[іїєґІЇЄҐ]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# French elision: "l'Allemagne" is "Allemagne".
ELISION = re.compile(r"\b[ldLD]['’](?=\w)")
# Chinese question words to set apart from the names around them.
_CHINESE_WORDS = ("盟友", "同盟", "盟国", "和", "与", "跟", "是", "吗")


def detect(words: Iterable[str], text: str, hint: str | None = None) -> str:
    """The question's language ("en" when none of the seven): its script first, then its words,
    the interaction's locale (e.g. "es-ES") only to break a tie."""
    if _CJK.search(text):
        return "zh"
    if _CYRILLIC.search(text):
        return "uk" if _UKRAINIAN_LETTERS.search(text) else "ru"
    folded = set(words)
    if not folded & _LATIN_WORDS:  # nearly every question: English, decided at once
        return "en"
    scores = {language: len(folded & QUESTION_WORDS[language]) for language in ("es", "fr", "de", "pt")}
    for language, only in ONLY_IN.items():
        if language in scores and folded & only:
            scores[language] += 2
    best = max(scores.values())
    if best < 2:
        return "en"
    leaders = [language for language, score in scores.items() if score == best]
    hinted = (hint or "").split("-")[0].lower()
    return hinted if hinted in leaders else leaders[0]


def split_chinese(text: str, names: Iterable[str]) -> str:
    """Put spaces around the country names and question words of a Chinese question (no spaces of
    its own), longest names first, so each reads as a word."""
    if not _CJK.search(text):
        return text
    for word in sorted({*names, *_CHINESE_WORDS}, key=len, reverse=True):
        if word in text:
            text = text.replace(word, f" {word} ")
    return " ".join(text.split())
