"""Quiz generation at the per-server cap, in shapes chosen to be awkward: every question still has one right answer."""

from __future__ import annotations

import random

import pytest

from alliance_bot.domain.facts import FactBase, parse_fact
from alliance_bot.domain.quiz import generate_questions
from tests.load_entries import entry

N = 500


def _timeline(year_of, title_of) -> FactBase:
    facts = {}
    for i in range(N):
        raw = entry("timeline", i) | {"year": year_of(i), "title": title_of(i)}
        raw.pop("month"), raw.pop("day")
        facts[raw["id"]] = parse_fact(raw)
    return FactBase(facts)


SHAPES = {
    "all distinct": (lambda i: 1900 + i % 125, lambda i: f"Event {i}"),
    "nine in ten in one year": (lambda i: 2000 if i % 10 else 1900 + i % 125, lambda i: f"Event {i}"),
    "all in one year": (lambda i: 2000, lambda i: f"Event {i}"),
    "titles repeated across years": (lambda i: 1900 + i % 125, lambda i: f"Event {i % 7}"),
    "one title in two spellings": (lambda i: 1950 + i % 2, lambda i: "Summit" if i % 2 else "SUMMIT"),
}


@pytest.mark.parametrize("shape", SHAPES)
def test_timeline_questions_have_exactly_one_right_answer(shape):
    year_of, title_of = SHAPES[shape]
    facts = _timeline(year_of, title_of)
    entries = list(facts)
    years_of_title: dict[str, set[int]] = {}
    titles_in_year: dict[int, set[str]] = {}
    for e in entries:
        years_of_title.setdefault(e.title.casefold(), set()).add(e.year)
        titles_in_year.setdefault(e.year, set()).add(e.title.casefold())

    pool = generate_questions(facts, "timeline", random.Random(7))

    assert all(f"gen:tl-year:{e.id}" in pool for e in entries)
    for key, question in pool.items():
        (fact_id,) = question.fact_ids
        e = facts.get(fact_id)
        wrong = [c for i, c in enumerate(question.choices) if i != question.answer]
        assert len({c.casefold() for c in question.choices}) == len(question.choices)
        if key.startswith("gen:tl-year:"):
            assert question.right_choice == str(e.year)
            assert not {int(c) for c in wrong} & years_of_title[e.title.casefold()], key
        elif key.startswith("gen:tl-event:"):
            assert question.right_choice == e.title
            assert not {c.casefold() for c in wrong} & titles_in_year[e.year], key
    # A year question needs other titles outside that year; "all in one year" has none.
    events = [key for key in pool if key.startswith("gen:tl-event:")]
    assert (len(events) == 0) == (shape in ("all in one year", "one title in two spellings"))


def _perspectives(view_of) -> FactBase:
    facts = {}
    for i in range(N):
        raw = entry("perspective", i) | {"view": view_of(i)}
        facts[raw["id"]] = parse_fact(raw)
    return FactBase(facts)


@pytest.mark.parametrize(
    "view_of",
    [lambda i: f"View {i}", lambda i: "Shared" if i % 10 else f"View {i}", lambda i: "Shared"],
    ids=["distinct", "nine in ten share a view", "all share a view"],
)
def test_perspective_questions_never_offer_a_group_with_the_same_view(view_of):
    facts = _perspectives(view_of)
    pool = generate_questions(facts, "us-russia", random.Random(3))
    groups_by_view: dict[str, set[str]] = {}
    for row in facts:
        groups_by_view.setdefault(row.view.casefold(), set()).add(row.perspective.casefold())

    view_questions = {k: q for k, q in pool.items() if k.startswith("gen:view:")}
    for key, question in view_questions.items():
        row = facts.get(question.fact_ids[0])
        wrong = {c.casefold() for i, c in enumerate(question.choices) if i != question.answer}
        assert not wrong & groups_by_view[row.view.casefold()], key
    # Every row gets a question unless no other view exists at all.
    assert len(view_questions) == (N if len(groups_by_view) > 1 else 0)
