"""/ask reads what people type (issue 23, first part): chat spellings of the function words, people's
names for countries (demonyms from the countryinfo library, plural slang kept by hand), shared
nouns, and the pair named before any FAQ entry about another pair."""

from __future__ import annotations

import pytest

from alliance_bot.config import BUNDLED_DATA_DIR
from alliance_bot.domain.facts import load_fact_base
from alliance_bot.domain.questions import PairAnswer, casual_text, engine_for, read_question

YEAR = 2026


@pytest.fixture(scope="module")
def engine():
    return engine_for(load_fact_base(BUNDLED_DATA_DIR))


# (what people type, the two places the answer must be about)
PHRASINGS = [
    # the examples
    ("r the us and uk allies", {"US", "GB"}),
    ("were the americans and soviets allies in 1943", {"US", "USSR"}),
    ("are china n russia allied", {"CN", "RU"}),
    ("are the brits and the french allies", {"GB", "FR"}),
    ("are north and south korea allies", {"KP", "KR"}),
    ("were east and west germany allies in 1980", {"GDR", "FRG"}),
    ("hey quick question are japan and the us allies", {"JP", "US"}),
    ("is the us allied w/ israel", {"US", "IL"}),
    # function words in chat spelling
    ("r u sure france n germany r allies rn", {"FR", "DE"}),
    ("us and russia alies?", {"US", "RU"}),
    ("are mexico and the usa allys", {"MX", "US"}),
    ("is the uk allied with the us rn", {"GB", "US"}),
    ("r canada n the us allies", {"CA", "US"}),
    ("r india & pakistan allies", {"IN", "PK"}),
    ("japan & south korea allys?", {"JP", "KR"}),
    ("is turkey alied with russia", {"TR", "RU"}),
    ("r greece n turkey allies", {"GR", "TR"}),
    ("are spain n portugal allies rn", {"ES", "PT"}),
    ("is israel allied w/ the usa", {"IL", "US"}),
    ("r australia and nz allies", {"AU", "NZ"}),
    ("are poland n germany allys", {"PL", "DE"}),
    ("r iran and russia allies?", {"IR", "RU"}),
    ("r brazil n argentina allies", {"BR", "AR"}),
    ("r vietnam n china allies", {"VN", "CN"}),
    ("egypt & israel allies?", {"EG", "IL"}),
    # people's names (demonyms and their plurals)
    ("are the chinese and the russians allies", {"CN", "RU"}),
    ("are the japanese and the americans allies", {"JP", "US"}),
    ("are canadians and americans allies", {"CA", "US"}),
    ("are the germans and the italians allies", {"DE", "IT"}),
    ("are iranians and israelis allies", {"IR", "IL"}),
    ("are the saudis and the americans allies", {"SA", "US"}),
    ("are the ukrainians and the poles allies", {"UA", "PL"}),
    ("are the dutch and the belgians allies", {"NL", "BE"}),
    ("are the aussies and kiwis allies", {"AU", "NZ"}),
    ("were the soviets and the nazis allies in 1940", {"USSR", "DE"}),
    ("are the french and the germans allies", {"FR", "DE"}),
    ("are the turks and the greeks allies", {"TR", "GR"}),
    ("are the indians and the pakistanis allies", {"IN", "PK"}),
    ("are the swedes and the finns allies", {"SE", "FI"}),
    ("are the spaniards and the portuguese allies", {"ES", "PT"}),
    ("are mexicans and americans allies", {"MX", "US"}),
    ("are the koreans and the japanese allies", None),  # "Koreans" is two countries: not guessed
    ("are the brazilians and the argentines allies", {"BR", "AR"}),
    ("are the egyptians and the israelis allies", {"EG", "IL"}),
    ("are the filipinos and the americans allies", {"PH", "US"}),
    ("are the norwegians and the danes allies", {"NO", "DK"}),
    ("are the yanks and the brits allies", {"US", "GB"}),
    ("are the swiss and the austrians allies", {"CH", "AT"}),
    ("were the british and the americans allies in 1944", {"GB", "US"}),
    ("are north koreans and south koreans allies", {"KP", "KR"}),
    # shared nouns and ordinary phrasings that must keep working
    ("were north and south vietnam allies in 1970", {"DRV", "RVN"}),
    ("is the u.s. allies with russia?", {"US", "RU"}),
    ("is n. korea an ally of china", {"KP", "CN"}),
    ("are the us and russia allies", {"US", "RU"}),
    ("are germany and france allies", {"DE", "FR"}),
]


@pytest.mark.parametrize(("question", "pair"), PHRASINGS)
def test_casual_phrasings_are_read_as_the_pair_they_name(engine, question, pair):
    answer = engine.answer(read_question(question, YEAR))
    if pair is None:  # a name that stands for two countries is asked back, never guessed
        assert not isinstance(answer, PairAnswer), (question, answer)
        return
    assert isinstance(answer, PairAnswer), (question, answer)
    assert {answer.verdict.a, answer.verdict.b} == pair, (question, answer.verdict.a, answer.verdict.b)


def test_a_pair_question_never_gets_a_faq_entry_about_another_pair(engine):
    for question in ("r the us and uk allies", "are china n russia allied", "r japan n the us allies"):
        answer = engine.answer(read_question(question, YEAR))
        assert isinstance(answer, PairAnswer), question


def test_abbreviations_keep_their_letters():
    assert casual_text("is the u.s. allies with russia?") == "is the u.s. allies with russia?"
    assert casual_text("is n. korea an ally of china") == "is n. korea an ally of china"
    assert casual_text("r u sure") == "are you sure"


def test_the_demonyms_are_what_the_script_makes_of_the_library(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "scripts/import_names.py", str(tmp_path)], cwd=root, check=True, capture_output=True)
    for name in ("demonyms.tsv", "countries_i18n.tsv"):
        made = (tmp_path / name).read_text(encoding="utf-8")
        assert made == (BUNDLED_DATA_DIR / "names" / name).read_text(encoding="utf-8"), name
