"""Follow-up questions in a channel (issue 23): "what about china?", "and in 1944?", "why not?".

A member's last pair question in a channel, for a few minutes, lets a short follow-up be read against
it; a question that names no pair and has nothing to follow ("are they allies?") is asked back,
never guessed. Discord-free: the Ask cog keeps one Context per (channel, member).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass

from .countries import CountryResolver

FOLLOW_UP_SECONDS = 300  # "a few minutes"
CONTEXTS_KEPT = 2000  # (channel, member) pairs remembered at most; the oldest go first

_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"
_LEAD = r"(?:and|but|so|ok|okay|what about|how about|what of|and what about|and how about)"
_YEAR_ONLY = re.compile(rf"^\s*(?:{_LEAD}\s+)?(?:in\s+|back in\s+|during\s+)?{_YEAR}\s*\??\s*$", re.IGNORECASE)
_OTHER = re.compile(rf"^\s*{_LEAD}\s+(?P<rest>.+?)\s*\??\s*$", re.IGNORECASE)
_AGAIN = re.compile(
    r"^\s*(?:why|why not|how come|really|are you sure|you sure|since when|how so)\s*\??\s*!?\s*$", re.IGNORECASE
)
# A pair question that names no pair and nothing else: "are they allies?", "allies?", "are those two
# allied?". Longer ones ("were they ever allies?") are the FAQ's, which is about the US and Russia.
_NO_PAIR = re.compile(
    r"^\s*(?:(?:are|were|r)\s+)?(?:they|them|those two|these two|both|the two)?\s*"
    r"(?:(?:still|really)\s+)?(?:allies|allied|ally|friends)\s*\??\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Context:
    """The pair (and year) a member last asked about in a channel, and when."""

    a: str
    b: str
    year: int | None
    at: float


class Contexts:
    """The last pair question of each member in each channel, for a few minutes."""

    def __init__(self) -> None:
        self._kept: OrderedDict[tuple[int, int], Context] = OrderedDict()

    def remember(self, channel_id: int, user_id: int, context: Context) -> None:
        key = (channel_id, user_id)
        self._kept[key] = context
        self._kept.move_to_end(key)
        while len(self._kept) > CONTEXTS_KEPT:
            self._kept.popitem(last=False)

    def recent(self, channel_id: int, user_id: int, now: float) -> Context | None:
        context = self._kept.get((channel_id, user_id))
        if context is None or now - context.at > FOLLOW_UP_SECONDS:
            return None
        return context

    def forget_user(self, user_id: int) -> None:
        for key in [key for key in self._kept if key[1] == user_id]:
            del self._kept[key]


def _pair_question(resolver: CountryResolver, a: str, b: str, year: int | None) -> str:
    when = f" in {year}" if year is not None else ""
    return f"are {resolver.get(a).name} and {resolver.get(b).name} allies{when}"


def names_no_pair(question: str) -> bool:
    """'are they allies?': a pair question with no place in it (to be asked back, never guessed)."""
    return bool(_NO_PAIR.match(question))


def follow_up(question: str, context: Context, resolver: CountryResolver) -> str | None:
    """The full question a short follow-up stands for, read against the previous pair; None if it
    is not a follow-up (it is then answered on its own)."""
    if _AGAIN.match(question) or names_no_pair(question):
        return _pair_question(resolver, context.a, context.b, context.year)
    year_only = _YEAR_ONLY.match(question)
    if year_only:
        return _pair_question(resolver, context.a, context.b, int(year_only["year"]))
    other = _OTHER.match(question)
    if other:
        rest = other["rest"]
        year = re.search(rf"\b{_YEAR}\b", rest)
        found = [m for m in resolver.find(rest) if not m.ambiguous]
        codes = list(dict.fromkeys(m.codes[0] for m in found))
        if len(codes) == 1 and codes[0] not in (context.a, context.b):
            # "what about china?" after the US and Russia: the first country with the new one.
            return _pair_question(resolver, context.a, codes[0], int(year["year"]) if year else context.year)
        if len(codes) == 2:
            return _pair_question(resolver, codes[0], codes[1], int(year["year"]) if year else context.year)
    return None
