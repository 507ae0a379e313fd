"""Quiz rules without Discord: scoring, streaks, periods, rotation and question generation."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from alliance_bot.config import BUNDLED_DATA_DIR
from alliance_bot.domain.facts import QUIZ_TOPICS, FactBase, load_fact_base, parse_fact
from alliance_bot.domain.quiz import (
    BASE_POINTS,
    SPEED_BONUS,
    STREAK_CAP,
    Question,
    country_name,
    figure_distractors,
    generate_questions,
    period_start,
    pick_next,
    score_answer,
    streaks,
)

SEED = [{"name": "Test source"}]


def fact(**fields):
    return parse_fact({"sources": SEED, "as_of": "2024", **fields})


def facts_of(*items) -> FactBase:
    return FactBase({item.id: item for item in items})


# --------------------------------------------------------------------------- scoring


@pytest.mark.parametrize(
    ("correct", "elapsed", "streak_before", "points", "streak"),
    [
        (False, 1.0, 5, 0, 0),  # a wrong answer scores nothing and breaks the streak
        (True, 0.0, 0, BASE_POINTS + SPEED_BONUS, 1),  # instant: full speed bonus
        (True, 10.0, 0, BASE_POINTS + SPEED_BONUS // 2, 1),  # half the time left: half the bonus
        (True, 20.0, 0, BASE_POINTS, 1),  # at the bell: no bonus
        (True, 25.0, 0, BASE_POINTS, 1),  # late clocks never go negative
        (True, 20.0, 1, BASE_POINTS + 10, 2),  # second right in a row
        (True, 20.0, 3, BASE_POINTS + 30, 4),
        (True, 20.0, 50, BASE_POINTS + STREAK_CAP, 51),  # the streak bonus is capped
    ],
)
def test_score_answer(correct, elapsed, streak_before, points, streak):
    score = score_answer(correct, elapsed, 20, streak_before)
    assert (score.points, score.streak) == (points, streak)


def test_faster_right_answer_scores_more():
    assert score_answer(True, 2, 20, 0).points > score_answer(True, 15, 20, 0).points


@pytest.mark.parametrize(
    ("results", "expected"),
    [
        ([], (0, 0)),
        ([True, True, True], (3, 3)),
        ([True, True, False, True], (1, 2)),
        ([False, False], (0, 0)),
        ([True, False, True, True, True, False], (0, 3)),
    ],
)
def test_streaks(results, expected):
    assert streaks(results) == expected


@pytest.mark.parametrize(
    ("period", "now", "start"),
    [
        ("all-time", datetime(2026, 1, 7, 12, tzinfo=UTC), None),
        ("month", datetime(2026, 1, 7, 12, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)),
        ("week", datetime(2026, 1, 7, 12, tzinfo=UTC), datetime(2026, 1, 5, tzinfo=UTC)),  # a Wednesday
        (
            "week",
            datetime(2026, 1, 1, 0, 30, tzinfo=UTC),
            datetime(2025, 12, 29, tzinfo=UTC),
        ),  # crosses the year
    ],
)
def test_period_start(period, now, start):
    assert period_start(period, now) == start


# --------------------------------------------------------------------------- rotation


def test_rotation_shows_every_question_before_any_repeat():
    pool = [f"k{i}" for i in range(7)]
    rng = random.Random(3)
    seen: set[str] = set()
    shown = []
    for _ in range(7):
        key, new_cycle = pick_next(pool, seen, rng)
        assert not new_cycle
        seen.add(key)
        shown.append(key)
    assert sorted(shown) == sorted(pool)
    key, new_cycle = pick_next(pool, seen, rng, avoid=shown[-3:])
    assert new_cycle and key in pool and key not in shown[-3:]


def test_a_cycle_that_resets_mid_quiz_never_repeats_that_quizs_questions():
    # Issue 25: after the server's cycle resets, the questions already asked in this quiz are
    # "unseen" again; they must still not come back in the same quiz.
    pool = [f"k{i}" for i in range(8)]
    asked = ["k0", "k1", "k2", "k3", "k4"]
    for seed in range(50):
        key, new_cycle = pick_next(pool, {"k4"}, random.Random(seed), avoid=asked)
        assert key in {"k5", "k6", "k7"} and not new_cycle, key


def test_two_questions_of_one_quiz_are_never_built_from_the_same_fact(bundled):
    pool = generate_questions(bundled, "timeline", random.Random(0))
    year_q = next(k for k in pool if k.startswith("gen:tl-year:"))
    twin = "gen:tl-event:" + year_q.split(":", 2)[2]
    assert twin in pool and set(pool[twin].fact_ids) & set(pool[year_q].fact_ids)
    for seed in range(50):
        key, _ = pick_next(pool, set(), random.Random(seed), avoid=[year_q])
        assert not set(pool[key].fact_ids) & set(pool[year_q].fact_ids), key
    # A whole long quiz through the rotation: no key twice, no fact twice.
    rng, seen, asked, facts_used = random.Random(7), set(), [], set()
    for _ in range(20):
        key, _ = pick_next(pool, seen, rng, avoid=asked)
        assert key not in asked and not set(pool[key].fact_ids) & facts_used
        asked.append(key)
        seen.add(key)
        facts_used |= set(pool[key].fact_ids)


def test_rotation_ignores_seen_keys_no_longer_in_the_pool():
    key, new_cycle = pick_next(["a", "b"], {"a", "gone"}, random.Random(0))
    assert (key, new_cycle) == ("b", False)
    assert pick_next([], set(), random.Random(0)) == (None, False)


# --------------------------------------------------------------------------- generation, checked against the data


def check_question(question: Question, facts: FactBase) -> None:
    """Assert the right answer is right and every distractor wrong, from the facts themselves."""
    kind, *rest = question.key.split(":")
    right = question.right_choice
    wrong = [c for i, c in enumerate(question.choices) if i != question.answer]
    assert 2 <= len(question.choices) <= 5
    assert question.sources and question.as_of
    if question.key.startswith("gen:atop-signatory:"):
        from alliance_bot.domain.alliance_timeline import signings
        from alliance_bot.domain.quiz import _named_in

        made, namer = signings(facts.record)
        signing = made[int(question.key.rsplit(":", 1)[1])]
        members = {namer(c, signing.year).casefold() for c in signing.member_codes}
        assert right.casefold() in {f.casefold() for f in signing.founders}
        assert not {w.casefold() for w in wrong} & members  # never a member, in any phase
        name = question.prompt.split("): ", 1)[1].rstrip("?")
        assert not _named_in(right, name)  # the name does not give the answer away
        assert any("ATOP" in s.name for s in question.sources)
        return
    if question.key.startswith("gen:atop-year:"):
        alliance = facts.record.alliances[int(question.key.rsplit(":", 1)[1])]
        assert right == str(alliance.begin.year) and str(alliance.begin.year) not in wrong
        assert alliance.name is not None and str(alliance.begin.year) not in question.prompt  # no give-away
        assert alliance.name.name.removesuffix(f" ({alliance.begin.year})") in question.prompt
        assert alliance.name.source in question.sources and any("ATOP" in s.name for s in question.sources)
        named_alike = [a for a in facts.record.alliances.values() if a.name and a.name.name == alliance.name.name]
        assert named_alike == [alliance]  # no second alliance of that name makes another year right
        return
    if question.key.startswith("gen:state-existed:"):
        from alliance_bot.domain.alliance_timeline import capital, signings

        _, namer = signings(facts.record)
        ccode, year = (int(part) for part in rest[1:3])
        assert facts.record.states[ccode].member_in(year) and right == capital(namer(ccode, year))
        for name in wrong:
            states = [
                s for s in facts.record.states.values()
                if any(capital(namer(s.ccode, start)) == name for start, _ in s.periods)
            ]
            assert states and not any(s.member_in(y) for s in states for y in range(year - 5, year + 6)), name
        assert any("Correlates of War" in s.name or "COW" in s.name for s in question.sources)
        return
    for fact_id in question.fact_ids:
        source_fact = facts.get(fact_id)
        assert source_fact is not None
        assert set(source_fact.sources) <= set(question.sources)
    if kind == "q":
        written = facts.get(rest[0])
        assert right == written.choices[written.answer]
        assert set(wrong) == set(written.choices) - {right}
        return
    generator = rest[0]
    if generator == "tl-year":
        entry = facts.get(rest[1])
        assert right == str(entry.year)
        same = [e for e in facts.of_kind("timeline") if e.title == entry.title]
        assert all(str(e.year) not in wrong for e in same)
    elif generator == "tl-event":
        entry = facts.get(rest[1])
        assert right == entry.title
        for title in wrong:
            assert all(e.year != entry.year for e in facts.of_kind("timeline") if e.title == title)
    elif generator == "fig":
        figure = facts.get(rest[1])
        assert right == figure.value and figure.value not in wrong
    elif generator in ("view", "quote"):
        row = facts.get(rest[1])
        attr = "view" if generator == "view" else "quote"
        answer_attr = "perspective" if generator == "view" else "quote_source"
        assert right == getattr(row, answer_attr)
        for choice in wrong:
            others = [r for r in facts.of_kind("perspective") if getattr(r, answer_attr) == choice]
            assert others and all(getattr(r, attr) != getattr(row, attr) for r in others)
    elif generator in ("econ-response", "econ-impact"):
        row = facts.get(rest[1])
        answer_attr = "russian_response" if generator == "econ-response" else "us_action"
        assert right == getattr(row, answer_attr)
        assert getattr(row, answer_attr) not in wrong
    elif generator == "not-member":
        alliance = facts.get(rest[1])
        members = {country_name(m.code) for m in alliance.members}
        doubtful = {country_name(m.code) for m in [*alliance.former_members, *alliance.disputed_members]}
        suspended = {country_name(m.code) for m in alliance.members if m.suspended is not None}
        assert right not in members and right not in doubtful
        assert all(choice in members and choice not in suspended for choice in wrong)
    elif generator == "joined":
        alliance = facts.get(rest[1])
        member = next(m for m in alliance.members if m.code == rest[2])
        assert right == str(member.joined) and str(member.joined) not in wrong
    elif generator in ("war-enemy", "war-which"):
        from datetime import date

        from alliance_bot.domain.alliance_timeline import capital, signings
        from alliance_bot.domain.present_day import PresentDay

        present, (_, namer) = PresentDay(facts), signings(facts.record)
        today = date.today()
        war = facts.get(rest[1])
        if generator == "war-enemy":
            cow, year = int(rest[2]), int(rest[3])
            called = {capital(namer(s.ccode, year)): s.ccode for s in facts.record.states.values()}
            assert present.at_war(cow, called[right], year, today) is not None, right
            for name in wrong:
                assert present.at_war(cow, called[name], year, today) is None, name
        else:
            a, b = int(rest[2]), int(rest[3])
            assert right == war.name
            for name in wrong:
                other = next(w for w in facts.of_kind("war") if w.name == name)
                years = range(int(other.began[:4]), int((other.ended or today.isoformat())[:4]) + 1)
                assert all(
                    (found := present.at_war(a, b, y, today)) is None or found.war.id != other.id for y in years
                ), name
    elif generator == "tie-name":
        tie = facts.get(rest[1])
        assert right == tie.name
        own = {t.name.casefold() for t in facts.of_kind("tie") if set(t.pair) == set(tie.pair)}
        assert not {w.casefold() for w in wrong} & own
    elif generator == "tie-holder":
        tie = facts.get(rest[1])
        assert right == country_name(tie.pair[1])
        holders = {
            country_name(t.pair[1]) for t in facts.of_kind("tie")
            if t.type == tie.type and t.pair[0] == tie.pair[0] and t.until is None
        }
        assert not set(wrong) & holders
    else:  # pragma: no cover - a new generator must be checked here
        pytest.fail(f"unchecked generator {generator}")


@pytest.fixture(scope="module")
def bundled() -> FactBase:
    return load_fact_base(BUNDLED_DATA_DIR)


@pytest.mark.parametrize("topic", QUIZ_TOPICS)
@pytest.mark.parametrize("seed", range(5))
def test_bundled_pools_are_right_and_distractors_wrong(bundled, topic, seed):
    pool = generate_questions(bundled, topic, random.Random(seed))
    assert len(pool) >= 10, f"{topic} has only {len(pool)} questions"
    for key, question in pool.items():
        assert key == question.key and question.topic == topic
        check_question(question, bundled)


def test_every_hand_written_question_is_in_a_pool(bundled):
    keys = set()
    for topic in QUIZ_TOPICS:
        keys |= set(generate_questions(bundled, topic, random.Random(0)))
    assert {f"q:{q.id}" for q in bundled.of_kind("quiz")} <= keys


def test_alliance_questions_avoid_doubtful_members():
    alliance = fact(
        kind="alliance",
        id="pact",
        name="Test Pact",
        short_name="TP",
        treaty_kind="defense_pact",
        signed=1990,
        description="A test alliance.",
        members=[
            {"code": "FR", "joined": 1990},
            {"code": "DE", "joined": 1990},
            {"code": "IT", "joined": 1990},
            {"code": "ES", "joined": 1995},
            {"code": "AM", "joined": 1990, "suspended": 2024},
        ],
        former_members=[{"code": "GB", "joined": 1990, "left": 2020}],
        disputed_members=[{"code": "VE", "joined": 1990, "left": 2013}],
    )
    other = fact(
        kind="alliance",
        id="other",
        name="Other Pact",
        short_name="OP",
        treaty_kind="defense_pact",
        signed=2000,
        description="Another one.",
        members=[
            {"code": "GB", "joined": 2000},
            {"code": "VE", "joined": 2000},
            {"code": "PL", "joined": 2000},
        ],
    )
    facts = facts_of(alliance, other)
    for seed in range(30):
        pool = generate_questions(facts, "alliances", random.Random(seed))
        question = pool["gen:not-member:pact"]
        assert question.right_choice == "Poland"  # the only country that is clearly not a member
        assert "Armenia" not in question.choices  # suspended: neither clearly in nor out
        assert pool["gen:joined:pact:ES"].right_choice == "1995"
        assert "gen:joined:pact:FR" not in pool  # founding members are not accession questions
        for q in pool.values():
            check_question(q, facts)


def test_same_year_events_are_never_distractors():
    a = fact(kind="timeline", id="tl-a", year=2014, title="Event A", impact="x")
    b = fact(kind="timeline", id="tl-b", year=2014, title="Event B", impact="y")
    c = fact(kind="timeline", id="tl-c", year=2008, title="Event C", impact="z")
    facts = facts_of(a, b, c)
    for seed in range(20):
        pool = generate_questions(facts, "timeline", random.Random(seed))
        assert pool["gen:tl-event:tl-a"].choices.count("Event B") == 0
        for q in pool.values():
            check_question(q, facts)


def test_a_moderators_correction_changes_the_generated_question(bundled):
    original = bundled.get("tl-2008-georgia")
    corrected = original.model_copy(update={"year": 2009, "as_of": "2026-01"})
    merged = bundled.with_overlay({"tl-2008-georgia": corrected})
    before = generate_questions(bundled, "timeline", random.Random(1))["gen:tl-year:tl-2008-georgia"]
    after = generate_questions(merged, "timeline", random.Random(1))["gen:tl-year:tl-2008-georgia"]
    assert before.right_choice == "2008"
    assert after.right_choice == "2009"
    assert after.as_of == "2026-01"
    check_question(after, merged)


@pytest.mark.parametrize("value", ["1,706", "105", "$46B", "90%", "3", "$75.5B"])
def test_figure_distractors_look_alike_and_differ(value):
    for seed in range(10):
        wrong = figure_distractors(value, 3, random.Random(seed))
        assert value not in wrong and len(set(wrong)) == len(wrong) and wrong
        if value.endswith("%"):
            assert all(w.endswith("%") and float(w[:-1]) < 100 for w in wrong)
        if value.startswith("$"):
            assert all(w.startswith("$") and w.endswith("B") for w in wrong)


@pytest.mark.parametrize("value", ["2,500+", "60+", "$75B+", "over 150", "More than 40", "at least 12"])
def test_an_open_ended_figure_has_no_distractors_because_a_smaller_one_is_also_true(value):
    # "60+" is true of a count of 60 or more, so "24+" would be a second right answer (issue 25).
    for seed in range(10):
        assert figure_distractors(value, 3, random.Random(seed)) == []


def test_no_quiz_question_is_built_from_an_open_ended_figure(bundled):
    edited = bundled.get("fig-sanctioned-entities").model_copy(update={"value": "2,500+"})
    merged = bundled.with_overlay({"fig-sanctioned-entities": edited})
    pool = generate_questions(merged, "us-russia", random.Random(0))
    assert "gen:fig:fig-sanctioned-entities" not in pool
    closed = generate_questions(bundled, "us-russia", random.Random(0))["gen:fig:fig-sanctioned-entities"]
    assert closed.right_choice == "1,706"


def test_question_round_trips_through_json(bundled):
    question = next(iter(generate_questions(bundled, "us-russia", random.Random(0)).values()))
    assert Question.from_json(question.to_json()) == question


def test_the_alliance_record_gives_a_dated_question_for_each_uniquely_named_alliance(bundled):
    pool = generate_questions(bundled, "alliances", random.Random(0))
    from_record = [q for key, q in pool.items() if key.startswith("gen:atop-year:")]
    named = [a for a in bundled.record.alliances.values() if a.name is not None]
    # all but the names used twice and those that carry their own year
    assert len(from_record) >= 0.75 * len(named) and len(from_record) >= 300, (len(from_record), len(named))
    for question in from_record:
        check_question(question, bundled)
        assert len(set(question.choices)) == 4


def test_the_record_asks_who_signed_an_alliance_with_wrong_choices_of_its_era(bundled):
    pool = generate_questions(bundled, "alliances", random.Random(0))
    asked = [q for key, q in pool.items() if key.startswith("gen:atop-signatory:")]
    assert len(asked) >= 100, len(asked)
    for question in asked:
        check_question(question, bundled)
    assert len(pool) >= 500, len(pool)


def test_era_topics_hold_the_questions_about_their_years_and_mixed_holds_everything(bundled):
    from alliance_bot.domain.facts import QUIZ_TOPICS
    from alliance_bot.domain.quiz import ERA_TOPICS, MIXED_TOPIC

    bases = {topic: generate_questions(bundled, topic, random.Random(0)) for topic in QUIZ_TOPICS}
    for topic, (first, last) in ERA_TOPICS.items():
        pool = generate_questions(bundled, topic, random.Random(0))
        assert len(pool) >= 100, (topic, len(pool))
        for key, question in pool.items():
            assert question.topic == topic and first <= question.year <= last, (topic, key, question.year)
            base = bases["timeline"].get(key) or bases["alliances"][key]
            assert question.right_choice == base.right_choice or question.prompt == base.prompt
    mixed = generate_questions(bundled, MIXED_TOPIC, random.Random(0))
    assert set(mixed) == set().union(*(set(pool) for pool in bases.values()))


def test_the_bank_is_thousands_of_questions_with_hundreds_in_every_topic(bundled):
    """Issue 25: at least 2,000 distinct questions, at least 300 in each of at least six topics and a
    mixed topic (every generator's questions are checked above)."""
    from alliance_bot.domain.quiz import ERA_TOPICS, MIXED_TOPIC

    topics = [*QUIZ_TOPICS, *ERA_TOPICS]
    pools = {topic: generate_questions(bundled, topic, random.Random(0)) for topic in [*topics, MIXED_TOPIC]}
    assert len(topics) >= 6
    for topic in topics:
        assert len(pools[topic]) >= 300, (topic, len(pools[topic]))
    distinct = set().union(*(set(pool) for pool in pools.values()))
    assert len(distinct) >= 2000 and len(pools[MIXED_TOPIC]) >= 2000, len(distinct)
    prompts = {q.prompt + "|" + q.right_choice for q in pools[MIXED_TOPIC].values()}
    assert len(prompts) == len(pools[MIXED_TOPIC])  # no question is the same one under two keys


def test_a_shared_pool_is_reshuffled_per_quiz(bundled):
    from alliance_bot.domain.quiz import question_pool, reshuffled

    pool = question_pool(bundled, "us-russia")
    assert question_pool(bundled, "us-russia") is pool  # generated once per fact view
    question = next(iter(pool.values()))
    orders = {reshuffled(question, random.Random(seed)).choices for seed in range(20)}
    assert len(orders) > 1
    for seed in range(20):
        again = reshuffled(question, random.Random(seed))
        assert again.right_choice == question.right_choice and set(again.choices) == set(question.choices)


def test_the_questions_a_server_wrote_are_a_topic_of_their_own(bundled):
    written = fact(
        kind="quiz", id="srv-q1", question="Which city hosted the 1975 Helsinki summit?",
        choices=["Helsinki", "Vienna", "Geneva"], answer=0, explanation="The CSCE met in Helsinki.",
        topic="timeline",
    )
    view = bundled.with_overlay({written.id: written})
    server = generate_questions(view, "server", random.Random(0))
    assert list(server) == ["q:srv-q1"] and server["q:srv-q1"].topic == "server"
    assert "q:srv-q1" in generate_questions(view, "timeline", random.Random(0))  # and in its own topic
    assert generate_questions(bundled, "server", random.Random(0)) == {}  # the bundled ones are not the server's
