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


# More of what people type, across pairs and registers (issue 23: 300 phrasings with the other tables).
MORE = [
    ("is the us allies with russia", {"US", "RU"}), ("is the US allied with Russia", {"US", "RU"}),
    ("us russia allies?", {"US", "RU"}), ("are russia and america allies", {"RU", "US"}),
    ("is america allied to russia", {"US", "RU"}),
    ("r russia and the usa allies", {"RU", "US"}), ("usa n russia allies??", {"US", "RU"}),
    ("are the united states and russia allies now", {"US", "RU"}), ("is russia an american ally", {"RU", "US"}),
    ("is china allied with russia", {"CN", "RU"}), ("china russia alliance?", {"CN", "RU"}),
    ("is russia allied w/ china", {"RU", "CN"}),
    ("r china and russia allys", {"CN", "RU"}), ("are the russians and chinese allies", {"RU", "CN"}),
    ("is israel a us ally", {"IL", "US"}), ("is israel an ally of the us", {"IL", "US"}),
    ("israel and usa allies?", {"IL", "US"}), ("r the us and israel allies", {"US", "IL"}),
    ("are the americans and israelis allies", {"US", "IL"}), ("is the usa allied with israel rn", {"US", "IL"}),
    ("would the us defend taiwan", {"US", "TW"}), ("is taiwan a us ally", {"TW", "US"}),
    ("are taiwan and the us allies", {"TW", "US"}), ("r taiwan n america allies", {"TW", "US"}),
    ("is ukraine an ally of the us", {"UA", "US"}), ("are the us and ukraine allies", {"US", "UA"}),
    ("r ukraine and the usa allies", {"UA", "US"}), ("are ukrainians and americans allies", {"UA", "US"}),
    ("is india a us ally", {"IN", "US"}), ("are india and the us allies", {"IN", "US"}),
    ("r india n the usa allies", {"IN", "US"}), ("are the indians and the americans allies", {"IN", "US"}),
    ("are japan and south korea allies", {"JP", "KR"}), ("r japan n korea allies", None),
    ("are the japanese and the south koreans allies", {"JP", "KR"}), ("is japan allied with the us", {"JP", "US"}),
    ("are japan n the us allies", {"JP", "US"}), ("is the uk allied with france", {"GB", "FR"}),
    ("are britain and france allies", {"GB", "FR"}), ("r the brits n the french allies", {"GB", "FR"}),
    ("are england and france allies", {"GB", "FR"}), ("is germany allied with france", {"DE", "FR"}),
    ("are the germans and french allies", {"DE", "FR"}), ("r germany n france allies", {"DE", "FR"}),
    ("is germany a us ally", {"DE", "US"}), ("are germany and the usa allies", {"DE", "US"}),
    ("r canada n the usa allies", {"CA", "US"}), ("is canada allied with the us", {"CA", "US"}),
    ("are canada and mexico allies", {"CA", "MX"}), ("are mexico and the us allies", {"MX", "US"}),
    ("is mexico allied w/ the usa", {"MX", "US"}), ("are mexicans and canadians allies", {"MX", "CA"}),
    ("are australia and the us allies", {"AU", "US"}), ("r aussies and yanks allies", {"AU", "US"}),
    ("is new zealand allied with australia", {"NZ", "AU"}), ("are nz and australia allies", {"NZ", "AU"}),
    ("are india and pakistan allies", {"IN", "PK"}), ("r india n pakistan allies", {"IN", "PK"}),
    ("are the indians and pakistanis allies", {"IN", "PK"}), ("is pakistan allied with china", {"PK", "CN"}),
    ("are china and pakistan allies", {"CN", "PK"}), ("r pakistan n china allys", {"PK", "CN"}),
    ("is iran allied with russia", {"IR", "RU"}), ("are iran and russia allies", {"IR", "RU"}),
    ("r the iranians n russians allies", {"IR", "RU"}), ("is north korea allied with china", {"KP", "CN"}),
    ("are north korea and russia allies", {"KP", "RU"}), ("r n korea and china allies", {"KP", "CN"}),
    ("are the north koreans and the chinese allies", {"KP", "CN"}), ("is south korea a us ally", {"KR", "US"}),
    ("are south korea and the us allies", {"KR", "US"}), ("r s korea n the us allies", {"KR", "US"}),
    ("are turkey and greece allies", {"TR", "GR"}), ("r the turks n greeks allies", {"TR", "GR"}),
    ("is turkey a nato ally of the us", {"TR", "US"}), ("are turkey and the us allies", {"TR", "US"}),
    ("are saudi arabia and the us allies", {"SA", "US"}), ("is saudi arabia allied with the usa", {"SA", "US"}),
    ("r saudi n the us allies", {"SA", "US"}), ("are the saudis and iranians allies", {"SA", "IR"}),
    ("are egypt and israel allies", {"EG", "IL"}), ("r egypt n israel allies", {"EG", "IL"}),
    ("is egypt a us ally", {"EG", "US"}), ("are the egyptians and the americans allies", {"EG", "US"}),
    ("are poland and ukraine allies", {"PL", "UA"}), ("r poland n ukraine allies", {"PL", "UA"}),
    ("are the poles and ukrainians allies", {"PL", "UA"}), ("is poland allied with the us", {"PL", "US"}),
    ("are belarus and russia allies", {"BY", "RU"}), ("r belarus n russia allies", {"BY", "RU"}),
    ("are armenia and russia allies", {"AM", "RU"}), ("is armenia allied w/ russia", {"AM", "RU"}),
    ("are armenia and azerbaijan allies", {"AM", "AZ"}), ("r azerbaijan n turkey allies", {"AZ", "TR"}),
    ("are vietnam and the us allies", {"VN", "US"}), ("r vietnam n china allys", {"VN", "CN"}),
    ("are the philippines and the us allies", {"PH", "US"}), ("r the philippines n china allies", {"PH", "CN"}),
    ("are thailand and the us allies", {"TH", "US"}), ("is indonesia a us ally", {"ID", "US"}),
    ("are brazil and the us allies", {"BR", "US"}), ("r brazil n argentina allies", {"BR", "AR"}),
    ("are argentina and the uk allies", {"AR", "GB"}), ("r argentina n britain allies", {"AR", "GB"}),
    ("are cuba and venezuela allies", {"CU", "VE"}), ("r cuba n russia allies", {"CU", "RU"}),
    ("is cuba allied with the us", {"CU", "US"}), ("are venezuela and russia allies", {"VE", "RU"}),
    ("are spain and morocco allies", {"ES", "MA"}), ("r algeria n morocco allies", {"DZ", "MA"}),
    ("are mali and burkina faso allies", {"ML", "BF"}), ("r niger n nigeria allies", {"NE", "NG"}),
    ("is niger allied with nigeria", {"NE", "NG"}), ("are kenya and the us allies", {"KE", "US"}),
    ("are south africa and russia allies", {"ZA", "RU"}), ("r south africa n china allies", {"ZA", "CN"}),
    ("are italy and germany allies", {"IT", "DE"}), ("r the italians n germans allies", {"IT", "DE"}),
    ("were italy and germany allies in 1940", {"IT", "DE"}), ("were the us and the ussr allies in 1944", {"US", "USSR"}),
    ("were the americans and the soviets allied in 1942", {"US", "USSR"}), ("r the us n russia allies in 1990", {"US", "RU"}),
    ("were britain and russia allies in 1914", {"GB", "RU"}), ("were france n russia allies in 1900", {"FR", "RU"}),
    ("were the british and the french allies in 1915", {"GB", "FR"}), ("were germany n austria allies in 1914", {"DE", "AT"}),
    ("were japan and germany allies in 1941", {"JP", "DE"}), ("were the japanese and the germans allies in 1942", {"JP", "DE"}),
    ("were china and the ussr allies in 1955", {"CN", "USSR"}), ("were the us n japan allies in 1943", {"US", "JP"}),
    ("were france and germany allies in 1960", {"FR", "DE"}), ("were the uk and the us allies in 1950", {"GB", "US"}),
    ("were egypt n the ussr allies in 1975", {"EG", "USSR"}), ("were india n the ussr allies in 1975", {"IN", "USSR"}),
    ("were poland and the ussr allies in 1970", {"PL", "USSR"}), ("were cuba n the soviets allies in 1962", {"CU", "USSR"}),
    ("were the us and china allies in 1945", {"US", "CN"}), ("were turkey n the us allies in 1960", {"TR", "US"}),
    ("were iran and the us allies in 1970", {"IR", "US"}), ("were pakistan n the us allies in 1960", {"PK", "US"}),
    ("were spain and france allies in 1823", {"ES", "FR"}), ("were prussia and austria allies in 1850", {"PRUSSIA", "AT"}),
    ("were russia n prussia allies in 1815", {"RU", "PRUSSIA"}), ("were britain and japan allies in 1905", {"GB", "JP"}),
    ("were italy n austria-hungary allies in 1890", {"IT", "AUSHUN"}), ("were the ottomans n germany allies in 1915", {"OTTOMAN", "DE"}),
    ("hey are the us and mexico allies", {"US", "MX"}), ("quick q: are china n india allies", {"CN", "IN"}),
    ("ok so are russia and iran allies", {"RU", "IR"}), ("lol are france and britain allies", {"FR", "GB"}),
    ("are germany & poland allies", {"DE", "PL"}), ("are sweden and finland allies", {"SE", "FI"}),
    ("r the swedes n finns allies", {"SE", "FI"}), ("are norway and the us allies", {"NO", "US"}),
    ("are denmark & the us allies", {"DK", "US"}), ("are the danes and the americans allies", {"DK", "US"}),
    ("are the dutch and the germans allies", {"NL", "DE"}), ("are the belgians and the french allies", {"BE", "FR"}),
    ("are austria and switzerland allies", {"AT", "CH"}), ("r the swiss n austrians allies", {"CH", "AT"}),
    ("are portugal and brazil allies", {"PT", "BR"}), ("r portugal n the uk allies", {"PT", "GB"}),
    ("are the portuguese and the british allies", {"PT", "GB"}), ("is ireland allied with the uk", {"IE", "GB"}),
    ("are iraq and iran allies", {"IQ", "IR"}), ("r syria n russia allies", {"SY", "RU"}),
    ("are qatar and the us allies", {"QA", "US"}), ("r the uae n the us allies", {"AE", "US"}),
    ("are the emiratis and the americans allies", {"AE", "US"}), ("are jordan and the us allies", {"JO", "US"}),
    ("are bahrain and the us allies", {"BH", "US"}), ("are kuwait and the us allies", {"KW", "US"}),
]


@pytest.mark.parametrize(("question", "pair"), MORE)
def test_more_casual_phrasings(engine, question, pair):
    answer = engine.answer(read_question(question, YEAR))
    if pair is None:  # "korea" is two countries: asked back, never guessed
        assert not isinstance(answer, PairAnswer), answer
        return
    assert isinstance(answer, PairAnswer), (question, answer)
    assert {answer.verdict.a, answer.verdict.b} == pair, (question, answer.verdict.a, answer.verdict.b)


def test_the_phrasing_tables_hold_three_hundred_questions():
    from tests.test_followups import FOLLOW_UPS
    from tests.test_other_languages import QUESTIONS

    assert len(PHRASINGS) + len(MORE) + len(FOLLOW_UPS) + len(QUESTIONS) >= 300
    assert len(QUESTIONS) >= 40 and len(FOLLOW_UPS) >= 30
