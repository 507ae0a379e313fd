"""The present-day layer's data (issue 20): generated from the research, sourced, dated, checkable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from alliance_bot.config import BUNDLED_DATA_DIR
from alliance_bot.domain.facts import TIE_LAYERS, TIE_TYPES, load_fact_base

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ("present_day_ties.yaml", "present_day_treaties.yaml", "present_day_atop_checks.yaml", "wars.yaml")
KINDS = ("tie", "alliance", "atop_check", "war")


@pytest.fixture(scope="module")
def facts():
    return load_fact_base(BUNDLED_DATA_DIR)


def test_the_bundled_files_are_what_the_script_makes_of_the_research(tmp_path):
    subprocess.run(
        [sys.executable, "scripts/import_present_day.py", "--out", str(tmp_path)],
        cwd=ROOT, check=True, capture_output=True, text=True,
    )
    for name in (*GENERATED, "unconfirmed/present_day.yaml"):
        assert (tmp_path / name).read_text(encoding="utf-8") == (BUNDLED_DATA_DIR / name).read_text(encoding="utf-8"), (
            f"data/{name} differs from what scripts/import_present_day.py makes: run it again"
        )


def test_every_layer_has_entries_and_every_entry_is_sourced_and_dated(facts):
    ties = facts.of_kind("tie")
    assert {tie.layer for tie in ties} == set(TIE_LAYERS)
    for layer in TIE_LAYERS:
        assert {tie.type for tie in ties if tie.layer == layer} <= set(TIE_TYPES[layer])
    problems = []
    for fact in facts.of_kind(*KINDS):
        for source in fact.sources:
            if source.kind is None or (source.url and not source.publisher):
                problems.append(f"{fact.id}: source {source.name!r} lacks its kind or publisher")
            if source.date and source.date > fact.as_of and not source.date.startswith(fact.as_of):
                problems.append(f"{fact.id}: as_of {fact.as_of} is older than a source dated {source.date}")
    assert not problems, "\n".join(problems)


def _tie(facts, layer, type_, a, b):
    found = [t for t in facts.of_kind("tie") if t.layer == layer and t.type == type_ and set(t.pair) == {a, b}]
    assert found, f"no {layer} {type_} tie for {a}-{b}"
    return found[0]


def test_what_the_research_found_and_the_sample_checked(facts):
    # Checked against the search tool's stored pages when merged (AP via Federal News Network, 31 July
    # 2019; the Saudi Press Agency as reported 18 September 2025; Pashinyan to France 24, 22 February 2024).
    brazil = _tie(facts, "designated", "major_non_nato_ally", "US", "BR")
    assert brazil.since == "2019-07-31" and brazil.until is None
    israel = _tie(facts, "designated", "major_non_nato_ally", "US", "IL")
    assert israel.pair == ("US", "IL") and israel.until is None
    afghanistan = _tie(facts, "designated", "major_non_nato_ally", "US", "AF")
    assert afghanistan.until is not None and afghanistan.until.startswith("2022")
    assert _tie(facts, "commitment", "security_commitment_law", "US", "TW").name == "Taiwan Relations Act"
    pakistan = next(a for a in facts.of_kind("alliance") if {m.code for m in a.members} == {"SA", "PK"})
    assert pakistan.treaty_kind == "defense_pact" and pakistan.signed == 2025
    pukpuk = facts.get("pd-australia-png-pukpuk-treaty")
    assert pukpuk.treaty_kind == "defense_pact" and {m.code for m in pukpuk.members} == {"AU", "PG"}
    sahel = facts.get("pd-aes-liptako-gourma-charter")
    assert {m.code for m in sahel.members} == {"ML", "BF", "NE"} and sahel.signed == 2023
    csto = facts.get("atop-check-4220")
    assert csto.status == "changed" and any(c.code == "AM" and c.change == "frozen" for c in csto.changes)
    nato = facts.get("atop-check-3180")
    assert {(c.code, c.change) for c in nato.changes} >= {("FI", "joined"), ("SE", "joined")}


def test_checked_atop_alliances_are_ones_the_record_had_in_force_in_2018(facts):
    record = facts.record
    for check in facts.of_kind("atop_check"):
        assert record.alliances[check.atopid].ongoing, check.id


def test_wars_name_states_of_the_cow_list_on_two_sides(facts):
    record = facts.record
    for war in facts.of_kind("war"):
        assert all(p.cow in record.states for p in war.participants), war.id
        assert len({p.side for p in war.participants}) >= 2, war.id
