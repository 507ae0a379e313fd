"""Synthetic entries of every kind, for load tests and bench/stall_bench.py (plainly labelled as such).

Each entry is valid under the bundled schema and names "Load test" as its source: nothing here is
shown as a fact outside a test or a benchmark.
"""

from __future__ import annotations

import itertools
from typing import Any

import pycountry
import yaml

from alliance_bot.domain.facts import POINT_SECTIONS, QUIZ_TOPICS, TIMELINE_TOPICS

SOURCE = [{"name": "Load test"}]
# Countries the bundled verdicts and the daily US–Russia story are about stay out of synthetic data.
_CODES = [c.alpha_2 for c in pycountry.countries if c.alpha_2 not in {"US", "RU"}]
_PAIRS = list(itertools.islice(itertools.combinations(_CODES, 2), 1000))


def entry(kind: str, i: int) -> dict[str, Any]:
    """The ``i``-th synthetic entry of ``kind``."""
    base = {"id": f"load-{kind}-{i}", "kind": kind, "sources": SOURCE, "as_of": "2025"}
    if kind == "timeline":
        return base | {
            "year": 1900 + i % 125,
            "month": 1 + i % 12,
            "day": 1 + i % 28,
            "title": f"Synthetic load event {i}",
            "impact": "A synthetic entry for a load test.",
            "topic": TIMELINE_TOPICS[i % len(TIMELINE_TOPICS)],
        }
    if kind == "faq":
        return base | {
            "question": f"Synthetic load question {i}?",
            "answer": "A synthetic answer for a load test.",
            "paraphrases": [f"synthetic load paraphrase {i}"],
        }
    if kind == "quiz":
        return base | {
            "question": f"Synthetic load quiz {i}?",
            "choices": [f"Alpha {i}", f"Beta {i}", f"Gamma {i}"],
            "answer": i % 3,
            "explanation": "A synthetic question for a load test.",
            "topic": QUIZ_TOPICS[i % len(QUIZ_TOPICS)],
        }
    if kind == "figure":
        return base | {
            "label": f"Synthetic load figure {i}",
            "value": f"{i + 1},000+",
            "number": (i + 1) * 1000,
            "unit": "units",
            "detail": "A synthetic figure for a load test.",
        }
    if kind == "relationship":
        a, b = _PAIRS[i]
        return base | {
            "pair": [a, b],
            "label": "partners",
            "headline": f"Synthetic load relationship {i}",
            "summary": "A synthetic relationship for a load test.",
        }
    if kind == "economic":
        return base | {
            "us_action": f"Synthetic measure {i}",
            "russian_response": f"Synthetic response {i}",
            "impact": f"Synthetic impact {i}",
        }
    if kind == "perspective":
        return base | {
            "perspective": f"Synthetic group {i}",
            "view": f"Synthetic view {i}",
            "quote": f"Synthetic quote {i}",
            "quote_source": f"Synthetic speaker {i}",
        }
    if kind == "point":
        return base | {
            "section": POINT_SECTIONS[i % len(POINT_SECTIONS)],
            "title": f"Synthetic point {i}",
            "text": "A synthetic point for a load test.",
            "order": 100 + i,
        }
    if kind == "alliance":
        members = [_CODES[(3 * i + k) % len(_CODES)] for k in range(3)]
        return base | {
            "name": f"Synthetic load arrangement {i}",
            "short_name": f"SLA{i}",
            "treaty_kind": "security_partnership",
            "signed": 2000,
            "description": "A synthetic arrangement for a load test.",
            "members": [{"code": code} for code in members],
        }
    if kind == "tie":
        a, b = _CODES[i % len(_CODES)], _CODES[(i + 1) % len(_CODES)]
        return base | {
            "layer": "partnership", "type": "strategic_partnership", "pair": [a, b],
            "name": f"Synthetic partnership {i}", "summary": "A synthetic tie for a load test.",
        }
    if kind == "atop_check":
        return base | {"atopid": 3180, "status": "in_force", "summary": f"A synthetic check {i} for a load test."}
    if kind == "war":
        return base | {
            "name": f"Synthetic war {i}", "began": "1990", "ended": "1991",
            "participants": [{"cow": 2, "side": "A", "entered": "1990"}, {"cow": 365, "side": "B", "entered": "1990"}],
            "summary": "A synthetic war for a load test.",
        }
    raise ValueError(kind)


def import_file(kind: str, count: int, start: int = 0) -> bytes:
    """An import file adding ``count`` synthetic entries of ``kind``."""
    entries = [entry(kind, i) for i in range(start, start + count)]
    return yaml.safe_dump({"entries": entries}, sort_keys=False).encode()
