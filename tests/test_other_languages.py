"""/ask in seven more languages (issue 23): country names from CLDR, each language's question words,
answered in English with a one-line note in the asker's language."""

from __future__ import annotations

import pytest

from alliance_bot.config import BUNDLED_DATA_DIR
from alliance_bot.domain.facts import load_fact_base
from alliance_bot.domain.languages import NOTES
from alliance_bot.domain.questions import PairAnswer, engine_for, read_question

YEAR = 2026


@pytest.fixture(scope="module")
def engine():
    return engine_for(load_fact_base(BUNDLED_DATA_DIR))


QUESTIONS = [
    ("es", "¿Estados Unidos y Rusia son aliados?", {"US", "RU"}),
    ("es", "¿Son aliados México y España?", {"MX", "ES"}),
    ("es", "¿Francia y Alemania son aliadas?", {"FR", "DE"}),
    ("es", "¿Japón y Corea del Sur son aliados?", {"JP", "KR"}),
    ("es", "¿Son aliados Argentina y Brasil?", {"AR", "BR"}),
    ("es", "¿China y Rusia son aliados?", {"CN", "RU"}),
    ("fr", "Les États-Unis et la Russie sont-ils alliés ?", {"US", "RU"}),
    ("fr", "La France et l'Allemagne sont-elles alliées ?", {"FR", "DE"}),
    ("fr", "Le Japon et la Chine sont-ils alliés ?", {"JP", "CN"}),
    ("fr", "Est-ce que l'Inde et le Pakistan sont alliés ?", {"IN", "PK"}),
    ("fr", "Le Canada et les États-Unis sont-ils alliés ?", {"CA", "US"}),
    ("fr", "L'Italie et l'Espagne sont-elles alliées ?", {"IT", "ES"}),
    ("de", "Sind Deutschland und Frankreich Verbündete?", {"DE", "FR"}),
    ("de", "Sind die USA und Russland Verbündete?", {"US", "RU"}),
    ("de", "Sind China und Russland verbündet?", {"CN", "RU"}),
    ("de", "Ist Japan mit den USA verbündet?", {"JP", "US"}),
    ("de", "Sind Polen und die Ukraine Verbündete?", {"PL", "UA"}),
    ("de", "Sind Österreich und die Schweiz Verbündete?", {"AT", "CH"}),
    ("pt", "Os Estados Unidos e o Brasil são aliados?", {"US", "BR"}),
    ("pt", "Portugal e Espanha são aliados?", {"PT", "ES"}),
    ("pt", "A China e a Rússia são aliadas?", {"CN", "RU"}),
    ("pt", "O Japão e a Coreia do Sul são aliados?", {"JP", "KR"}),
    ("pt", "Angola e Moçambique são aliados?", {"AO", "MZ"}),
    ("pt", "O Brasil e a Argentina são aliados?", {"BR", "AR"}),
    ("ru", "Россия и Китай союзники?", {"RU", "CN"}),
    ("ru", "США и Россия союзники?", {"US", "RU"}),
    ("ru", "Являются ли Германия и Франция союзниками?", {"DE", "FR"}),
    ("ru", "Индия и Пакистан союзники?", {"IN", "PK"}),
    ("ru", "Беларусь и Россия союзники?", {"BY", "RU"}),
    ("ru", "Япония и Китай союзники?", {"JP", "CN"}),
    ("uk", "Україна і Польща союзники?", {"UA", "PL"}),
    ("uk", "Чи є США і Україна союзниками?", {"US", "UA"}),
    ("uk", "Росія та Білорусь союзники?", {"RU", "BY"}),
    ("uk", "Україна та Велика Британія союзники?", {"UA", "GB"}),
    ("uk", "Чи є Німеччина і Франція союзниками?", {"DE", "FR"}),
    ("uk", "Китай і Росія союзники?", {"CN", "RU"}),
    ("zh", "中国和俄罗斯是盟友吗？", {"CN", "RU"}),
    ("zh", "美国和日本是盟友吗", {"US", "JP"}),
    ("zh", "美国和俄罗斯是盟友吗？", {"US", "RU"}),
    ("zh", "印度和巴基斯坦是盟友吗？", {"IN", "PK"}),
    ("zh", "德国和法国是盟友吗？", {"DE", "FR"}),
    ("zh", "中国和朝鲜是盟友吗？", {"CN", "KP"}),
    ("zh", "韩国和日本是盟友吗？", {"KR", "JP"}),
]


@pytest.mark.parametrize(("language", "question", "pair"), QUESTIONS)
def test_questions_in_other_languages_name_their_pair(engine, language, question, pair):
    reading = read_question(question, YEAR)
    assert reading.language == language, (question, reading.language)
    answer = engine.answer(reading)
    assert isinstance(answer, PairAnswer), (question, answer)
    assert {answer.verdict.a, answer.verdict.b} == pair


def test_the_table_covers_seven_languages_with_forty_questions():
    assert len(QUESTIONS) >= 40 and {row[0] for row in QUESTIONS} == set(NOTES)


def test_english_stays_english_and_the_locale_only_breaks_ties():
    assert read_question("are germany and france allies", YEAR, "es-ES").language == "en"
    assert read_question("is the u.s. allies with russia?", YEAR, "de").language == "en"


async def test_an_answer_in_another_language_says_in_it_that_answers_are_in_english(world):
    result = await world.member.slash(world.general, "ask", question="¿Estados Unidos y Rusia son aliados?")
    assert NOTES["es"] in (result.response.content or "")
    assert result.response.embeds[0].title.startswith("No — ")
    english = await world.member.slash(world.general, "ask", question="are germany and france allies")
    assert not english.response.content
