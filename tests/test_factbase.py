"""The bundled data loads through the real loader; broken data is reported file by file, entry by entry."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from alliance_bot.config import BUNDLED_DATA_DIR
from alliance_bot.domain.facts import FactBaseError, fill_computed, format_as_of, load_fact_base, parse_fact

GOOD = {
    "id": "tl-test",
    "kind": "timeline",
    "year": 2001,
    "title": "A test event",
    "impact": "None at all.",
    "sources": [{"name": "A test source", "url": "https://example.org/a"}],
    "as_of": "2024-05",
}


def test_every_bundled_file_loads_and_every_fact_is_sourced_and_dated():
    facts = load_fact_base(BUNDLED_DATA_DIR)

    assert len(facts) > 30
    for fact in facts:
        assert fact.sources, fact.id
        assert all(source.name for source in fact.sources), fact.id
        assert fact.as_of, fact.id
    assert facts.get("us-ru-relationship").headline.startswith("No —")


def _copy_data(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA_DIR, target)
    return target


def test_a_broken_entry_is_named_with_its_file_and_every_problem_is_listed(tmp_path):
    data = _copy_data(tmp_path)
    (data / "zz_broken.yaml").write_text(
        "entries:\n"
        "  - id: bad-date\n    kind: timeline\n    year: 2001\n    title: t\n    impact: i\n"
        "    sources: [{name: s}]\n    as_of: '2024-02-30'\n"
        "  - id: no-source\n    kind: faq\n    question: q\n    answer: a\n    sources: []\n    as_of: '2024'\n"
        "  - id: bad-country\n    kind: relationship\n    pair: [US, XX]\n    label: rivals\n"
        "    headline: h\n    summary: s\n    sources: [{name: s}]\n    as_of: '2024'\n"
        "  - id: us-ru-relationship\n    kind: faq\n    question: q\n    answer: a\n"
        "    sources: [{name: s}]\n    as_of: '2024'\n"
    )

    with pytest.raises(FactBaseError) as caught:
        load_fact_base(data)

    message = str(caught.value)
    assert len(caught.value.problems) == 4
    assert "zz_broken.yaml: entry 'bad-date': as_of: is not a real date" in message
    assert "zz_broken.yaml: entry 'no-source': sources" in message
    assert "zz_broken.yaml: entry 'bad-country': pair.1: 'XX' is not an ISO 3166-1 alpha-2 country code" in message
    assert "entry 'us-ru-relationship': duplicate id (already defined in us_russia.yaml)" in message


def test_invalid_yaml_syntax_names_the_file_and_line(tmp_path):
    data = _copy_data(tmp_path)
    (data / "zz_syntax.yaml").write_text("entries:\n  - id: x\n    kind: [unclosed\n")

    with pytest.raises(FactBaseError) as caught:
        load_fact_base(data)

    assert "zz_syntax.yaml: entry line" in str(caught.value)
    assert "is not valid YAML" in str(caught.value)


def test_yaml_is_read_safely(tmp_path):
    data = _copy_data(tmp_path)
    (data / "zz_unsafe.yaml").write_text("entries: !!python/object/apply:os.system ['echo hacked']\n")

    with pytest.raises(FactBaseError, match=r"zz_unsafe\.yaml"):
        load_fact_base(data)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"kind": "rumour"}, "kind"),
        ({"as_of": "last year"}, "as_of: must be a date"),
        ({"month": 2, "day": 30}, "not a real date"),
        ({"day": 3}, "a day needs a month"),
        ({"sources": [{"name": "x", "url": "ftp://nope"}]}, "sources.0.url"),
        ({"id": "Has Spaces"}, "id"),
        ({"title": "x" * 300}, "title"),
        ({"extra": 1}, "extra"),
    ],
)
def test_single_fact_validation_explains_the_problem(change, fragment):
    with pytest.raises(ValueError, match=fragment):
        parse_fact({**GOOD, **change})


def test_years_since_is_computed_not_written_down():
    text = "That ended {years_since:1945} years ago."

    assert fill_computed(text, date(2024, 6, 1)) == "That ended 79 years ago."
    assert fill_computed(text, date(2026, 11, 24)) == "That ended 81 years ago."


@pytest.mark.parametrize(
    ("as_of", "shown"), [("2024", "2024"), ("2023-03", "March 2023"), ("2023-03-14", "14 March 2023")]
)
def test_as_of_dates_read_naturally(as_of, shown):
    assert format_as_of(as_of) == shown


def test_stale_facts_count_a_partial_date_from_its_end():
    from datetime import date

    from alliance_bot.domain.facts import stale_facts

    class F:
        def __init__(self, fact_id, as_of):
            self.id, self.as_of = fact_id, as_of

    facts = [F("year", "2025"), F("month", "2025-10"), F("day", "2025-11-30"), F("old", "2024-06")]
    assert stale_facts(facts, date(2026, 11, 25), 12) == [("old", "2024-06"), ("month", "2025-10")]
    assert [fact_id for fact_id, _ in stale_facts(facts, date(2026, 12, 1), 12)] == ["old", "month", "day"]
    assert [fact_id for fact_id, _ in stale_facts(facts, date(2027, 1, 1), 12)] == ["old", "year", "month", "day"]
