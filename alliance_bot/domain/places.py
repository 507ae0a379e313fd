"""Places people name, and the state (COW code) each one was in a given year.

Today's countries are ISO 3166 codes; a state that no longer exists gets a short id of its own
("USSR", "GDR"). Asked about Russia in 1944, the answer is about the Soviet Union, and says so:
the same COW state (365) under the name it had then. Germany in 1970 is West Germany.
"""

from __future__ import annotations

from dataclasses import dataclass

from .history import HistoricalRecord


@dataclass(frozen=True)
class HistoricalPlace:
    """A state that is not one of today's countries, or a former name of one."""

    code: str
    name: str
    in_sentence: str
    ccode: int
    first: int  # years this name stands for (within the COW code's own years)
    last: int
    aliases: tuple[str, ...] = ()
    today: str | None = None  # the ISO code of the country it is today, where it continues


HISTORICAL_PLACES: tuple[HistoricalPlace, ...] = (
    HistoricalPlace("USSR", "Soviet Union", "the Soviet Union", 365, 1922, 1991,
                    ("soviet union", "ussr", "u s s r", "the ussr", "soviets", "cccp", "the soviet union"), "RU"),
    HistoricalPlace("RUSEMP", "Russian Empire", "the Russian Empire", 365, 1815, 1917,
                    ("russian empire", "imperial russia", "tsarist russia"), "RU"),
    HistoricalPlace("PRUSSIA", "Prussia", "Prussia", 255, 1815, 1870, ("prussia", "kingdom of prussia"), "DE"),
    HistoricalPlace("GEREMP", "German Empire", "the German Empire", 255, 1871, 1918,
                    ("german empire", "imperial germany", "kaiserreich"), "DE"),
    HistoricalPlace("NAZIGER", "Nazi Germany", "Nazi Germany", 255, 1933, 1945,
                    ("nazi germany", "third reich", "the third reich"), "DE"),
    HistoricalPlace("FRG", "West Germany", "West Germany", 260, 1955, 1990,
                    ("west germany", "frg", "brd"), "DE"),
    HistoricalPlace("GDR", "East Germany", "East Germany", 265, 1954, 1990,
                    ("east germany", "gdr", "ddr", "german democratic republic")),
    HistoricalPlace("AUSEMP", "Austrian Empire", "the Austrian Empire", 300, 1815, 1866,
                    ("austrian empire", "habsburg empire")),
    HistoricalPlace("AUSHUN", "Austria-Hungary", "Austria-Hungary", 300, 1867, 1918,
                    ("austria hungary", "austro hungary", "austro hungarian empire", "dual monarchy")),
    HistoricalPlace("OTTOMAN", "Ottoman Empire", "the Ottoman Empire", 640, 1815, 1922,
                    ("ottoman empire", "ottomans", "the ottoman empire", "ottoman turkey"), "TR"),
    HistoricalPlace("YUGO", "Yugoslavia", "Yugoslavia", 345, 1919, 2002,
                    ("yugoslavia", "kingdom of yugoslavia", "sfry", "sfr yugoslavia"), "RS"),
    HistoricalPlace("SCG", "Serbia and Montenegro", "Serbia and Montenegro", 345, 2003, 2006,
                    ("serbia and montenegro",), "RS"),
    HistoricalPlace("CZSL", "Czechoslovakia", "Czechoslovakia", 315, 1918, 1992, ("czechoslovakia",)),
    HistoricalPlace("SARDINIA", "Kingdom of Sardinia", "the Kingdom of Sardinia", 325, 1815, 1860,
                    ("sardinia", "kingdom of sardinia", "piedmont", "piedmont sardinia"), "IT"),
    HistoricalPlace("RVN", "South Vietnam", "South Vietnam", 817, 1954, 1975,
                    ("south vietnam", "republic of vietnam")),
    HistoricalPlace("DRV", "North Vietnam", "North Vietnam", 816, 1954, 1975,
                    ("north vietnam", "democratic republic of vietnam"), "VN"),
    HistoricalPlace("YAR", "North Yemen", "North Yemen", 678, 1926, 1990,
                    ("north yemen", "yemen arab republic")),
    HistoricalPlace("PDRY", "South Yemen", "South Yemen", 680, 1967, 1990,
                    ("south yemen", "peoples democratic republic of yemen", "yemen peoples republic")),
    HistoricalPlace("KOREMP", "Korea (1887–1905)", "Korea", 730, 1887, 1905,
                    ("joseon", "korean empire", "kingdom of korea")),
    HistoricalPlace("HANOVER", "Hanover", "Hanover", 240, 1815, 1866, ("hanover", "kingdom of hanover")),
    HistoricalPlace("BAVARIA", "Bavaria", "Bavaria", 245, 1815, 1871, ("bavaria", "kingdom of bavaria")),
    HistoricalPlace("BADEN", "Baden", "Baden", 267, 1815, 1871, ("baden", "grand duchy of baden")),
    HistoricalPlace("SAXONY", "Saxony", "Saxony", 269, 1815, 1867, ("saxony", "kingdom of saxony")),
    HistoricalPlace("WURTT", "Württemberg", "Württemberg", 271, 1815, 1871,
                    ("wurttemberg", "wuerttemberg", "wurtemberg", "kingdom of wurttemberg")),
    HistoricalPlace("HESSEK", "Hesse-Kassel (Electoral Hesse)", "Hesse-Kassel", 273, 1815, 1866,
                    ("hesse kassel", "hesse cassel", "electoral hesse", "hesse electoral")),
    HistoricalPlace("HESSED", "Hesse-Darmstadt (Grand Ducal Hesse)", "Hesse-Darmstadt", 275, 1815, 1867,
                    ("hesse darmstadt", "grand ducal hesse", "hesse grand ducal", "grand duchy of hesse")),
    HistoricalPlace("MECKL", "Mecklenburg-Schwerin", "Mecklenburg-Schwerin", 280, 1815, 1867,
                    ("mecklenburg", "mecklenburg schwerin")),
    HistoricalPlace("PAPAL", "Papal States", "the Papal States", 327, 1815, 1860, ("papal states",)),
    HistoricalPlace("SICILIES", "Two Sicilies", "the Kingdom of the Two Sicilies", 329, 1815, 1861,
                    ("two sicilies", "kingdom of the two sicilies", "naples", "kingdom of naples")),
    HistoricalPlace("MODENA", "Modena", "Modena", 332, 1815, 1860, ("modena", "duchy of modena")),
    HistoricalPlace("PARMA", "Parma", "Parma", 335, 1815, 1860, ("parma", "duchy of parma")),
    HistoricalPlace("TUSCANY", "Tuscany", "Tuscany", 337, 1815, 1860, ("tuscany", "grand duchy of tuscany")),
    HistoricalPlace("ZANZIBAR", "Zanzibar", "Zanzibar", 511, 1963, 1964, ("zanzibar",)),
    HistoricalPlace("KOSOVO", "Kosovo", "Kosovo", 347, 2008, 9999, ("kosovo",)),
    HistoricalPlace("ANNAM", "Annam", "Annam", 8152, 1874, 1883, ("annam",)),
)
PLACES_BY_CODE = {place.code: place for place in HISTORICAL_PLACES}
# Former names of a state that continues as today's country: listed under today's name.
ERA_ONLY = frozenset(
    place.code for place in HISTORICAL_PLACES if place.today is not None and place.code not in ("FRG", "DRV")
)

# Today's countries whose state changed code over time: (first year, last year, COW code).
ISO_SPANS: dict[str, tuple[tuple[int, int, int], ...]] = {
    "DE": ((1815, 1945, 255), (1955, 1989, 260), (1990, 9999, 255)),
    "AT": ((1815, 1918, 300), (1919, 9999, 305)),
    "YE": ((1926, 1989, 678), (1990, 9999, 679)),
}


def _spans_by_ccode() -> dict[int, list[tuple[int, int, str]]]:
    """ISO_SPANS turned around, in the same order: COW code -> (first year, last year, ISO code)."""
    by_ccode: dict[int, list[tuple[int, int, str]]] = {}
    for iso, spans in ISO_SPANS.items():
        for first, last, ccode in spans:
            by_ccode.setdefault(ccode, []).append((first, last, iso))
    return by_ccode


_ISO_SPANS_BY_CCODE = _spans_by_ccode()  # iso_for runs twice for every pair graded

# The name a continuing state had in each era, for "asked about Russia in 1944: the Soviet Union".
ERA_NAMES: dict[int, tuple[str, ...]] = {
    365: ("RUSEMP", "USSR"),
    255: ("PRUSSIA", "GEREMP", "NAZIGER"),
    300: ("AUSEMP", "AUSHUN"),
    640: ("OTTOMAN",),
    345: ("YUGO", "SCG"),
    325: ("SARDINIA",),
    816: ("DRV",),
}


@dataclass(frozen=True)
class Polity:
    """A place as the state it was in one year: its COW code and the name it had then."""

    place: str
    ccode: int
    name: str
    in_sentence: str
    renamed: bool  # True when the name differs from what the person asked about


def ccode_of(place: str, year: int, record: HistoricalRecord) -> int | None:
    """The COW code ``place`` stood for in ``year``, or None if it maps to none then."""
    historical = PLACES_BY_CODE.get(place)
    if historical is not None:
        if historical.first <= year <= historical.last:
            return historical.ccode
        # A name used outside its own years for the same state under another name then
        # ("Austria-Hungary" in 1819: COW 300, then the Austrian Empire) is that state.
        return historical.ccode if era_place(historical.ccode, year) is not None else None
    for first, last, ccode in ISO_SPANS.get(place, ()):
        if first <= year <= last:
            return ccode
    if place in ISO_SPANS:
        return None
    return record.by_iso.get(place)


def era_place(ccode: int, year: int) -> HistoricalPlace | None:
    """The historical name a continuing state had in ``year``, if it had another one then."""
    for code in ERA_NAMES.get(ccode, ()):
        place = PLACES_BY_CODE[code]
        if place.first <= year <= place.last:
            return place
    return None


def iso_for(ccode: int, year: int, record: HistoricalRecord) -> str | None:
    """Today's country (ISO code) that a COW state of ``year`` is, for the researched entries."""
    for first, last, iso in _ISO_SPANS_BY_CCODE.get(ccode, ()):
        if first <= year <= last:
            return iso
    state = record.state(ccode)
    if state is not None and state.iso and state.iso not in ISO_SPANS:
        return state.iso
    return None
