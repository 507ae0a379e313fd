"""Free-text questions: pair questions, time-aware questions, FAQ paraphrases and honest no-verdicts."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz, process

from alliance_bot.config import BUNDLED_DATA_DIR
from alliance_bot.domain.countries import fold, tokenize
from alliance_bot.domain.facts import load_fact_base, parse_fact
from alliance_bot.domain.questions import FaqAnswer, HistoryAnswer, NoVerdict, PairAnswer, engine_for, faq_key
from bench._children import miss_questions

YEAR = 2026


@pytest.fixture(scope="module")
def facts():
    return load_fact_base(BUNDLED_DATA_DIR)


@pytest.fixture(scope="module")
def engine(facts):
    return engine_for(facts)


# (question, expected pair, expected verdict word); None for the year when today.
PAIRS = [
    # every phrasing in the seed article
    ("is u.s. allies with russia", {"US", "RU"}, "No"),
    ("are the us and russia allies", {"US", "RU"}, "No"),
    ("are us and russia allies", {"US", "RU"}, "No"),
    # how people actually type it
    ("Is the U.S. allied with Russia?", {"US", "RU"}, "No"),
    ("IS THE US ALLIES WITH RUSSIA", {"US", "RU"}, "No"),
    ("is america allies with russia?", {"US", "RU"}, "No"),
    ("are russia and the usa allies", {"US", "RU"}, "No"),
    ("Are the United States and Russia allies?", {"US", "RU"}, "No"),
    ("is russia an ally of the united states", {"US", "RU"}, "No"),
    ("us and russia allies?", {"US", "RU"}, "No"),
    ("is the usa friends with russia", {"US", "RU"}, "No"),
    ("are russia and us allies", {"US", "RU"}, "No"),
    ("Is Rusia allied with the Untied States?", {"US", "RU"}, "No"),
    ("is the us still allied with russia today", {"US", "RU"}, "No"),
    # other pairs
    ("are france and germany allies", {"FR", "DE"}, "Yes"),
    ("are frnace and germny allies?", {"FR", "DE"}, "Yes"),
    ("is the UK allied with Portugal", {"GB", "PT"}, "Yes"),
    ("are Britain and the US allies", {"GB", "US"}, "Yes"),
    ("are japan and the us allies", {"JP", "US"}, "Yes"),
    ("is south korea an ally of the us", {"KR", "US"}, "Yes"),
    ("are russia and north korea allies", {"RU", "KP"}, "Yes"),
    ("are the DPRK and China allies", {"KP", "CN"}, "Yes"),
    ("is belarus allied with russia", {"BY", "RU"}, "Yes"),
    ("are saudi arabia and pakistan allies", {"SA", "PK"}, "Yes"),
    ("are Türkiye and Azerbaijan allies", {"TR", "AZ"}, "Yes"),
    ("are turkey and greece allies", {"TR", "GR"}, "Yes"),
    ("is Holland allied with the Czech Republic", {"NL", "CZ"}, "Yes"),
    ("are australia and canada allies", {"AU", "CA"}, "No"),
    ("are the us and new zealand allies", {"US", "NZ"}, "No"),
    ("are russia and iran allies", {"RU", "IR"}, "No"),
    ("is russia allies with china", {"RU", "CN"}, "No"),
    ("are armenia and russia allies", {"AM", "RU"}, "Yes"),  # the 1997 bilateral treaty
    ("are japan and brazil allies", {"JP", "BR"}, "No"),
    ("is Burma allied with Ivory Coast", {"MM", "CI"}, "No"),
    # time-aware
    ("were Poland and the US allies in 1995?", {"PL", "US"}, "No"),
    ("were Poland and the US allies in 2000?", {"PL", "US"}, "Yes"),
    ("were sweden and the us allies in 2023", {"SE", "US"}, "No"),
    ("were sweden and the us allies in 2024", {"SE", "US"}, "Yes"),
    ("were mexico and the us allies in 2000", {"MX", "US"}, "Yes"),
    ("were the us and new zealand allies in 1980", {"US", "NZ"}, "Yes"),
]


@pytest.mark.parametrize(("question", "pair", "word"), PAIRS)
def test_pair_questions(engine, question, pair, word):
    answer = engine.ask(question, current_year=YEAR)
    assert isinstance(answer, PairAnswer), answer
    assert {answer.verdict.a, answer.verdict.b} == pair
    assert ("Yes" if answer.verdict.allied else "No") == word


def test_time_aware_question_uses_the_year(engine):
    answer = engine.ask("were Poland and the US allies in 1995?", current_year=YEAR)
    assert isinstance(answer, PairAnswer) and answer.verdict.year == 1995
    assert not answer.is_us_russia


def test_seed_phrasings_get_the_full_us_russia_answer(engine):
    for question in ("is u.s. allies with russia", "are the us and russia allies", "are us and russia allies"):
        answer = engine.ask(question, current_year=YEAR)
        assert isinstance(answer, PairAnswer) and answer.is_us_russia


FAQS = [
    # the seed's FAQ, as written and as people paraphrase it
    ("could they become allies against china?", "faq-allies-against-china"),
    ("Could the US and Russia become allies against China?", "faq-allies-against-china"),
    ("could russia and america ever team up against china", "faq-allies-against-china"),
    ("does russia have any us allies", "faq-russia-us-allies"),
    ("Does Russia have any US allies?", "faq-russia-us-allies"),
    ("why haven't they cut ties", "faq-why-not-cut-ties"),
    ("why haven't they broken diplomatic ties?", "faq-why-not-cut-ties"),
    ("why do they still have embassies", "faq-why-not-cut-ties"),
    ("is trade dead", "faq-trade-dead"),
    ("is trade completely dead?", "faq-trade-dead"),
    ("is trade between them dead now", "faq-trade-dead"),
    ("were they ever allies", "faq-ever-allies"),
    ("how many russian entities are sanctioned", "faq-sanctioned-count"),
    ("how many russian companies are under us sanctions?", "faq-sanctioned-count"),
    ("will putin join nato", "faq-putin-nato"),
    ("is russia taking back alaska?", "faq-putin-nato"),
]


@pytest.mark.parametrize(
    "question", ["were the us and russia ever allies?", "weren't america and russia allies in ww2"]
)
def test_ever_and_era_questions_get_the_pair_record(engine, question):
    """'Ever' and 'in WW2' are answered from the record for any pair, not only through the FAQ."""
    answer = engine.ask(question, current_year=YEAR)
    assert isinstance(answer, HistoryAnswer), answer
    assert {answer.a, answer.b} == {"US", "RU"}
    assert [(p.first, p.last) for p in answer.allied_periods] == [(1942, 1945)]


@pytest.mark.parametrize(("question", "faq_id"), FAQS)
def test_faq_questions_with_paraphrase_tolerance(engine, question, faq_id):
    answer = engine.ask(question, current_year=YEAR)
    assert isinstance(answer, FaqAnswer), answer
    assert answer.faq.id == faq_id


NO_VERDICT = [
    ("are korea and japan allies", "ambiguous"),
    ("is korea allied with the us", "ambiguous"),
    ("are narnia and russia allies", "unknown_place"),
    ("is atlantis allied with the us?", "unknown_place"),
    ("are russia and russia allies", "same_country"),
    ("are the us and america allies", "same_country"),
    ("are the us and russia allies in 2030", "future_year"),
    ("tell us about russia", "no_match"),
    ("what is the weather in paris", "no_match"),
    ("are and is in no", "no_match"),
    ("asdf qwerty", "no_match"),
    ("@everyone <@123> hello", "no_match"),
]


@pytest.mark.parametrize(("question", "reason"), NO_VERDICT)
def test_no_verdict_when_no_honest_answer(engine, question, reason):
    answer = engine.ask(question, current_year=YEAR)
    assert isinstance(answer, NoVerdict), answer
    assert answer.reason == reason
    if reason == "no_match":
        assert len(answer.closest) == 3


def test_ambiguous_and_unknown_offer_closest_matches(engine):
    korea = engine.ask("are korea and japan allies", current_year=YEAR)
    assert set(korea.candidates) == {"KR", "KP"} and korea.other == "JP"
    narnia = engine.ask("are narnia and russia allies", current_year=YEAR)
    assert narnia.unresolved == "narnia" and narnia.candidates and narnia.other == "RU"


def test_ask_pair_revalidates_typed_values(engine):
    assert isinstance(engine.ask_pair("PL", "United States", year=1995, current_year=YEAR), PairAnswer)
    assert engine.ask_pair("Korea", "JP", year=None, current_year=YEAR).reason == "ambiguous"
    assert engine.ask_pair("Narnia", "RU", year=None, current_year=YEAR).reason == "unknown_place"
    assert engine.ask_pair("RU", "Russia", year=None, current_year=YEAR).reason == "same_country"


def test_engine_is_built_once_per_view_and_sees_moderator_edits(facts):
    assert engine_for(facts) is engine_for(facts)
    edited = facts.with_overlay(
        {
            "faq-custom": parse_fact(
                {
                    "id": "faq-custom",
                    "kind": "faq",
                    "question": "Does the bot have a favourite submarine?",
                    "answer": "A test answer.",
                    "sources": [{"name": "Test"}],
                    "as_of": "2025",
                }
            )
        }
    )
    answer = engine_for(edited).ask("does the bot have a favourite submarine", current_year=YEAR)
    assert isinstance(answer, FaqAnswer) and answer.faq.id == "faq-custom"
    assert not isinstance(engine_for(facts).ask("does the bot have a favourite submarine", current_year=YEAR), FaqAnswer)


def _faq_ranking_one_phrasing_at_a_time(engine, text: str) -> list[tuple[str, float]]:
    """The straightforward FAQ ranking: read the text afresh, score each phrasing with a Python call."""

    def score(query: str, choice: str, **_: object) -> float:
        if not query or not choice:
            return 0.0
        return 0.4 * fuzz.token_set_ratio(query, choice) + 0.6 * fuzz.token_sort_ratio(query, choice)

    key = faq_key(text, engine.resolver)
    exact = engine._faq_exact.get(fold(text))
    best: dict[int, float] = {} if exact is None else {exact: 100.0}
    if key:
        for _, value, position in process.extract(key, engine._faq_keys, scorer=score, limit=len(engine._faq_keys)):
            owner = engine._faq_owner[position]
            if value > best.get(owner, -1.0):
                best[owner] = value
    ranked = sorted(best.items(), key=lambda row: -row[1])
    return [(engine.faqs[index].id, value) for index, value in ranked]


def test_faq_ranking_from_the_question_as_read_agrees_with_scoring_each_phrasing(engine):
    texts = [*miss_questions(400), "tell us about russia", "were they allies in World War Two?", "is trade dead"]
    texts += [f"so {text.lower()}" for faq in engine.faqs for text in (faq.question, *faq.paraphrases)]
    for text in texts:
        tokens = tokenize(text)
        mentions = engine.resolver.find(text, tokens=tokens)
        expected = _faq_ranking_one_phrasing_at_a_time(engine, text)
        ranked = engine.faq_matches(text, limit=len(engine.faqs), tokens=tokens, mentions=mentions)
        assert [(faq.id, value) for faq, value in ranked] == expected, text


def test_a_question_read_once_is_answered_and_judged_heavy_as_when_read_afresh(facts):
    from alliance_bot.domain.questions import _ALLIES_OF, AskEngine, find_when, read_question

    texts = [*miss_questions(300), "who are russia's allies", "  were the us and russia ever allies  "]
    texts += ["who are france's allies in 1914 and is russia in nato", "is hungary in nato", "list japan's allies"]
    reading_engine, asking_engine = AskEngine(facts), AskEngine(facts)
    for text in texts:
        reading = read_question(text, YEAR)
        when = find_when(text, YEAR)
        heavy = (when is not None and when.kind != "year") or any(pattern.search(text) for pattern in _ALLIES_OF)
        assert reading.grades_many_pairs is heavy, text
        assert reading_engine.answer(reading) == asking_engine.ask(text, current_year=YEAR), text


def test_the_quick_checks_before_the_time_and_allies_patterns_never_change_what_is_found(monkeypatch):
    from alliance_bot.domain import questions

    texts = [*miss_questions(1100), "were they ever allies", "WW2 allies?", "during the GREAT WAR", "in the 1980s"]
    texts += ["allies in the cold war", "hıstorically allies?", "ſecond world war allies", "what year did they ally"]
    texts += ["since when are they allies", "russia’s allies", "list france's allies", "frances' allies in 1914"]
    texts += ["are 𝟏𝟗𝟖𝟎 allies", "between 1990 and 1995", "from 2001 to 1999", "HISTORY of the alliance"]
    quick = [(questions.find_when(text, YEAR), questions._asks_allies_of(text)) for text in texts]

    monkeypatch.setattr(questions, "_may_name_a_time", lambda text: True)
    monkeypatch.setattr(questions, "_asks_allies_of", lambda text: any(p.search(text) for p in questions._ALLIES_OF))
    assert quick == [(questions.find_when(text, YEAR), questions._asks_allies_of(text)) for text in texts]
    assert sum(when is not None for when, _ in quick) > 250 and sum(allies for _, allies in quick) >= 3
