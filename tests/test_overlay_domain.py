"""The overlay domain: forms, validation, overlay computation, diff, export/import planning."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import yaml

from alliance_bot.config import BUNDLED_DATA_DIR
from alliance_bot.domain.facts import FactBase, load_fact_base
from alliance_bot.domain.overlay import (
    FORMS,
    MAX_INPUTS_PER_MODAL,
    FactVersion,
    ImportRefused,
    apply_form,
    compute_overlay,
    diff_facts,
    export_yaml,
    fact_json,
    form_fits_modal,
    form_values,
    new_fact_id,
    plan_import,
    search_facts,
)

BUNDLED = load_fact_base(BUNDLED_DATA_DIR)
WHEN = datetime(2026, 1, 1, tzinfo=UTC)


def _version(fact_id: str, version: int, body: dict | None, hidden: bool = False) -> FactVersion:
    return FactVersion(1, fact_id, version, "edit", body, hidden, 42, WHEN)


def _one_of_each_kind() -> list:
    seen: dict[str, object] = {}
    for fact in BUNDLED:
        seen.setdefault(fact.kind, fact)
    return list(seen.values())


def test_every_kind_has_a_form_within_discords_modal_limits():
    for kind, fields in FORMS.items():
        assert 1 <= len(fields) <= MAX_INPUTS_PER_MODAL, kind
        assert all(field.max_length <= 4000 for field in fields), kind
        assert {"source", "as_of"} <= {field.key for field in fields}, kind


@pytest.mark.parametrize("fact", _one_of_each_kind(), ids=lambda f: f.kind)
def test_unchanged_form_round_trips_every_bundled_kind(fact):
    if not form_fits_modal(fact):
        pytest.skip(f"{fact.id} is edited by export/import, not by form")
    assert apply_form(fact.kind, fact.id, fact, form_values(fact, fact.kind)) == fact


@pytest.mark.parametrize(
    ("fact_id", "changes", "field", "expected"),
    [
        ("us-ru-relationship", {"headline": "Still not allies."}, "headline", "Still not allies."),
        ("us-ru-relationship", {"as_of": "2026-01"}, "as_of", "2026-01"),
        ("fig-sanctioned-entities", {"value": "3,100+"}, "number", 3100),  # the number follows the value
        ("fig-sanctioned-entities", {"value": "3,100+"}, "value", "3,100+"),
        ("faq-sanctioned-count", {"paraphrases": "one way\n\nanother way"}, "paraphrases", ["one way", "another way"]),
        ("us-ru-relationship", {"source": "Reuters | https://reuters.com/x"}, "sources", [{"name": "Reuters", "url": "https://reuters.com/x"}]),
    ],
)
def test_form_changes_land_in_the_entry(fact_id, changes, field, expected):
    fact = BUNDLED.get(fact_id)
    values = form_values(fact, fact.kind) | changes
    updated = apply_form(fact.kind, fact.id, fact, values)
    dumped = updated.model_dump(mode="json", exclude_none=True)
    assert dumped[field] == expected


@pytest.mark.parametrize(
    ("fact_id", "changes", "reason"),
    [
        ("us-ru-relationship", {"source": ""}, "source"),
        ("us-ru-relationship", {"as_of": ""}, "as_of"),
        ("us-ru-relationship", {"as_of": "2024-02-30"}, "as_of"),
        ("us-ru-relationship", {"label": "frenemies"}, "label"),
        ("us-ru-relationship", {"headline": "x" * 300}, "headline"),
        ("us-ru-relationship", {"source": "Site | ftp://nope"}, "url"),
        ("fig-sanctioned-entities", {"value": "lots"}, "must contain the number"),
        ("fig-sanctioned-entities", {"label": ""}, "label"),
    ],
)
def test_invalid_form_is_refused_with_the_reason(fact_id, changes, reason):
    fact = BUNDLED.get(fact_id)
    values = form_values(fact, fact.kind) | changes
    with pytest.raises(ValueError, match=reason):
        apply_form(fact.kind, fact.id, fact, values)


@pytest.mark.parametrize(
    ("kind", "values", "check"),
    [
        (
            "faq",
            {"question": "Q?", "answer": "A.", "paraphrases": "", "source": "S", "as_of": "2025"},
            ("question", "Q?"),
        ),
        (
            "timeline",
            {"title": "T", "impact": "I", "date": "2025-03-04", "source": "S", "as_of": "2025"},
            ("month", 3),
        ),
        (
            "quiz",
            {"question": "Q?", "choices": "a\n* b\nc", "explanation": "E", "source": "S", "as_of": "2025"},
            ("answer", 1),
        ),
        (
            "figure",
            {"label": "Jets intercepted", "value": "12+", "detail": "D", "source": "S", "as_of": "2025"},
            ("number", 12),
        ),
    ],
)
def test_new_entries_of_each_addable_kind(kind, values, check):
    fact = apply_form(kind, "new-one", None, values)
    assert fact.kind == kind
    assert getattr(fact, check[0]) == check[1]


def test_the_figure_form_asks_in_words_and_fills_in_number_and_unit():
    values = {"label": "Jets intercepted", "value": "12+", "detail": "D", "source": "S", "as_of": "2025"}
    fact = apply_form("figure", "new-one", None, values)
    assert (fact.number, fact.unit) == (12, "Jets intercepted")
    assert not any(spec.style == "yaml" for specs in FORMS.values() for spec in specs)


def test_quiz_choices_need_exactly_one_star():
    values = {"question": "Q?", "choices": "a\nb", "explanation": "E", "source": "S", "as_of": "2025"}
    with pytest.raises(ValueError, match="star"):
        apply_form("quiz", "q", None, values)
    with pytest.raises(ValueError, match="exactly one"):
        apply_form("quiz", "q", None, values | {"choices": "* a\n* b"})


def test_new_ids_are_readable_and_unused():
    assert new_fact_id("faq", "Who are Russia's allies?", []) == "faq-who-are-russia-s-allies"
    assert new_fact_id("faq", "Who?", ["faq-who"]) == "faq-who-2"
    assert new_fact_id("quiz", "!!!", []) == "quiz-entry"


def test_overlay_from_latest_versions():
    relationship = BUNDLED.get("us-ru-relationship")
    edited = relationship.model_copy(update={"headline": "Edited."})
    latest = [
        _version("us-ru-relationship", 2, json.loads(fact_json(edited))),
        _version("fig-trade-decline", 1, None, hidden=True),
        _version("fig-sanctioned-entities", 3, None, hidden=False),  # reverted to bundled
        _version("fig-unsafe-intercepts", 1, {"id": "fig-unsafe-intercepts", "kind": "figure"}),  # invalid now
    ]
    overlay, problems = compute_overlay(latest)
    assert overlay == {"us-ru-relationship": edited, "fig-trade-decline": None}
    assert len(problems) == 1 and "fig-unsafe-intercepts" in str(problems[0])
    view = BUNDLED.with_overlay(overlay)
    assert view.get("us-ru-relationship").headline == "Edited."
    assert "fig-trade-decline" not in view
    assert view.get("fig-sanctioned-entities") == BUNDLED.get("fig-sanctioned-entities")


def test_diff_names_each_changed_field_with_both_values():
    before = BUNDLED.get("fig-sanctioned-entities")
    after = before.model_copy(update={"value": "3,100+", "number": 3100.0})
    changes = {change.field: change for change in diff_facts(before, after)}
    assert set(changes) == {"value", "number"}
    assert (changes["value"].before, changes["value"].after) == ("1,706", "3,100+")
    assert (changes["number"].before, changes["number"].after) == ("1706", "3100")
    assert {change.field for change in diff_facts(before, None)} >= {"value", "sources", "as_of"}


def test_export_then_plan_import_into_a_fresh_server_reproduces_the_view():
    edited = BUNDLED.get("us-ru-relationship").model_copy(update={"headline": "Edited."})
    added = apply_form(
        "faq", "faq-new", None, {"question": "Q?", "answer": "A.", "paraphrases": "", "source": "S", "as_of": "2025"}
    )
    overlay = {"us-ru-relationship": edited, "fig-trade-decline": None, "faq-new": added}
    server_a = BUNDLED.with_overlay(overlay)
    text = export_yaml(BUNDLED, overlay)
    assert yaml.safe_load(text)["hidden"] == ["fig-trade-decline"]

    plan = plan_import(text, "export.yaml", BUNDLED, BUNDLED)
    assert (plan.count("add"), plan.count("edit"), plan.count("hide")) == (1, 1, 1)
    server_b = BUNDLED.with_overlay({v.fact_id: v.fact for v in plan.new_versions()})
    assert list(server_b.facts.items()) == list(server_a.facts.items())

    again = plan_import(text, "export.yaml", BUNDLED, server_b)
    assert again.changes == [] and sorted(again.unchanged) == sorted(overlay)


BAD_IMPORTS = [
    ("entries: [", "line"),
    ("just text", "entries"),
    ("entries:\n- id: us-ru-relationship\n  kind: relationship\n  pair: [US, RU]\n  label: rivals\n"
     "  headline: H\n  summary: S\n  as_of: '2024'\n  sources: []\n", "'us-ru-relationship'"),
    ("entries:\n- id: fig-trade-decline\n  kind: faq\n  question: Q\n  answer: A\n  as_of: '2024'\n"
     "  sources: [{name: S}]\n", "cannot make it a faq"),
    ("entries: []\nhidden: [no-such-entry]\n", "'no-such-entry'"),
    ("entries: []\nhidden: nope\n", "hidden"),
    ("entries: []\nextra: 1\n", "extra"),
]


@pytest.mark.parametrize(("text", "named"), BAD_IMPORTS)
def test_invalid_import_is_refused_naming_the_entry(text, named):
    with pytest.raises(ImportRefused) as refused:
        plan_import(text, "bad.yaml", BUNDLED, BUNDLED)
    assert named in str(refused.value)


def test_import_with_one_bad_entry_among_good_ones_lists_only_that_entry():
    good = BUNDLED.get("us-ru-relationship").model_copy(update={"headline": "Fine."})
    bad = {"id": "faq-broken", "kind": "faq", "question": "Q", "answer": "A", "as_of": "2024"}  # no sources
    text = yaml.safe_dump({"entries": [good.model_dump(mode="json", exclude_none=True), bad]})
    with pytest.raises(ImportRefused) as refused:
        plan_import(text, "mixed.yaml", BUNDLED, BUNDLED)
    assert [problem.entry for problem in refused.value.problems] == ["'faq-broken'"]
    assert "sources" in refused.value.problems[0].message


def test_search_matches_id_then_text_and_caps_at_25():
    by_id = search_facts(BUNDLED, "us-ru")
    assert by_id[0][0] == "us-ru-relationship"
    by_text = [fact_id for fact_id, _ in search_facts(BUNDLED, "Crimea")]
    assert "tl-2014-crimea" in by_text
    assert len(search_facts(BUNDLED, "")) == 25
    hidden = search_facts(FactBase({}), "gone", extra_ids=["fig-gone"])
    assert hidden == [("fig-gone", None)]


def test_every_form_input_has_a_label_in_words_within_discords_limits():
    from alliance_bot.render.facts import PLACEHOLDERS, field_label

    for kind, specs in FORMS.items():
        assert len(specs) <= 5, kind
        for spec in specs:
            label = field_label(kind, spec.key)
            assert 1 <= len(label) <= 45, (kind, spec.key, label)
            assert "_" not in label and "YAML" not in label, (kind, spec.key, label)
    assert all(len(text) <= 100 for text in PLACEHOLDERS.values())
