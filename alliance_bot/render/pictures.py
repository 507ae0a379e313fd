"""Pictures attached to answers: an alliance map and a pair's history strip, as small PNGs.

The world map is pygal's (the ``pygal_maps_world`` package ships its outlines, so nothing is
downloaded), rendered to PNG by resvg; the strip and every caption are drawn with Pillow and
its built-in font, so no system font is needed. These functions are pure and blocking: callers
run them in a worker thread. Results are cached by their inputs, so the same picture for the
same answer is drawn once.
"""

from __future__ import annotations

import io
import logging
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

log = logging.getLogger(__name__)

WIDTH = 1000
MAP_HEIGHT = 500
PNG_LIMIT = 500_000  # bytes: small enough for a phone on a slow connection

# Colours by strength of tie (map and strip alike).
COLOURS = {
    "focus": "#1f3b73",
    "defence": "#2e8b57",
    "weaker": "#e0b32f",
    "partner": "#7fb3d5",
    "rival": "#c0392b",
    "none": "#d9d9d9",
    "missing": "#f2f2f2",
}
LEGEND = {
    "focus": "the country asked about",
    "defence": "allies: a defence promise or wartime alliance",
    "weaker": "weaker ties: neutrality, non-aggression, consultation",
    "partner": "designated allies, commitments, partners (no defence treaty)",
    "rival": "rivals, adversaries, at war",
    "none": "no alliance",
    "missing": "no data",
}

# Former states drawn on today's borders (the caption says so).
TODAY_CODES: dict[str, tuple[str, ...]] = {
    "USSR": ("ru", "ua", "by", "kz", "uz", "tm", "kg", "tj", "am", "az", "ge", "md", "lt", "lv", "ee"),
    "RUSEMP": ("ru",),
    "GDR": ("de",),
    "FRG": ("de",),
    "PRUSSIA": ("de",),
    "GEREMP": ("de",),
    "NAZIGER": ("de",),
    "AUSEMP": ("at",),
    "AUSHUN": ("at", "hu"),
    "OTTOMAN": ("tr",),
    "YUGO": ("rs", "hr", "si", "ba", "mk", "me"),
    "SCG": ("rs", "me"),
    "CZSL": ("cz", "sk"),
    "SARDINIA": ("it",),
    "RVN": ("vn",),
    "DRV": ("vn",),
    "YAR": ("ye",),
    "PDRY": ("ye",),
    "KOREMP": ("kr", "kp"),
    "HANOVER": ("de",),
    "BAVARIA": ("de",),
    "BADEN": ("de",),
    "SAXONY": ("de",),
    "WURTT": ("de",),
    "HESSEK": ("de",),
    "HESSED": ("de",),
    "MECKL": ("de",),
    "PAPAL": ("it",),
    "SICILIES": ("it",),
    "MODENA": ("it",),
    "PARMA": ("it",),
    "TUSCANY": ("it",),
    "ZANZIBAR": ("tz",),
    "ANNAM": ("vn",),
}


def map_codes(place: str) -> tuple[str, ...]:
    """The map's country codes for a place (a former state on today's borders)."""
    if place in TODAY_CODES:
        return TODAY_CODES[place]
    return (place.lower(),) if len(place) == 2 else ()


@dataclass(frozen=True)
class Band:
    """One period of a history strip."""

    first: int
    last: int
    kind: str  # a key of COLOURS
    label: str


_CACHE: OrderedDict[tuple, bytes] = OrderedDict()
_CACHE_SIZE = 64


def _drawn(key: tuple) -> bytes | None:
    found = _CACHE.get(key)
    if found is not None:
        _CACHE.move_to_end(key)
    return found


def _cached(key: tuple, make: callable) -> bytes:  # type: ignore[valid-type]
    found = _drawn(key)
    if found is not None:
        return found
    png = make()
    _CACHE[key] = png
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return png


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> list[str]:  # type: ignore[no-untyped-def]
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            trial = f"{line} {word}".strip()
            if draw.textlength(trial, font=font) <= width:
                line = trial
            else:
                if line:
                    lines.append(line)
                line = word
        lines.append(line)
    return lines


_PLAIN = str.maketrans({"–": "-", "—": "-", "’": "'", "‘": "'", "“": '"', "”": '"', "…": "..."})


def plain(text: str) -> str:
    """Text the built-in font can draw (it has no typographic dashes or quotes)."""
    return text.translate(_PLAIN)


def _png(image: Image.Image) -> bytes:
    # zlib's default level: optimize=True (level 9) saved about 4% of the bytes of a history strip
    # for three to four times the time (30 ms against 9), paid by every past-year pair answer.
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    data = buffer.getvalue()
    if len(data) > PNG_LIMIT:  # never expected at these sizes; shrink rather than fail
        image = image.convert("P", palette=Image.Palette.ADAPTIVE, colors=64)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        data = buffer.getvalue()
    return data


def _framed(body: Image.Image, title: str, caption: str, legend: Sequence[str]) -> Image.Image:
    """Put a title above and the legend and caption below a picture."""
    title_font, text_font = _font(26), _font(18)
    probe = ImageDraw.Draw(body)
    caption_lines = _wrap(probe, plain(caption), text_font, WIDTH - 40)
    legend_rows = (len(legend) + 1) // 2
    height = 50 + body.height + 14 + legend_rows * 28 + len(caption_lines) * 24 + 20
    canvas = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(canvas)
    draw.text((20, 12), plain(title), fill="#111111", font=title_font)
    canvas.paste(body, ((WIDTH - body.width) // 2, 50))
    y = 50 + body.height + 14
    for index, kind in enumerate(legend):
        x = 20 + (index % 2) * (WIDTH // 2)
        row_y = y + (index // 2) * 28
        draw.rectangle((x, row_y + 3, x + 18, row_y + 21), fill=COLOURS[kind], outline="#888888")
        draw.text((x + 26, row_y + 2), LEGEND[kind], fill="#222222", font=text_font)
    y += legend_rows * 28 + 4
    for line in caption_lines:
        draw.text((20, y), line, fill="#444444", font=text_font)
        y += 24
    return canvas


def _map_key(title: str, caption: str, groups: dict[str, Sequence[str]]) -> tuple:
    return ("map", title, caption, tuple((k, tuple(sorted(v))) for k, v in sorted(groups.items())))


def alliance_map_png(title: str, caption: str, groups: dict[str, Sequence[str]]) -> bytes:
    """A world map with places coloured by strength of tie; ``groups`` maps a COLOURS key to places."""
    return _cached(_map_key(title, caption, groups), lambda: _draw_map(title, caption, groups))


def drawn_map_png(title: str, caption: str, groups: dict[str, Sequence[str]]) -> bytes | None:
    """``alliance_map_png`` if it is already drawn (cheap: no need for a worker thread), else None."""
    return _drawn(_map_key(title, caption, groups))


def _draw_map(title: str, caption: str, groups: dict[str, Sequence[str]]) -> bytes:
    import resvg_py
    from pygal.style import Style
    from pygal_maps_world.maps import World

    order = [kind for kind in ("weaker", "defence", "focus") if groups.get(kind)]
    style = Style(
        background="white",
        plot_background="white",
        colors=tuple(COLOURS[kind] for kind in order),
        opacity="1",
        opacity_hover="1",
    )
    chart = World(width=WIDTH, height=MAP_HEIGHT, style=style, show_legend=False, margin=0)
    for kind in order:
        codes = sorted({code for place in groups[kind] for code in map_codes(place)})
        chart.add(LEGEND[kind], codes)
    svg = chart.render().decode("utf-8")
    png = resvg_py.svg_to_bytes(svg_string=svg, background="white", skip_system_fonts=True)
    body = Image.open(io.BytesIO(bytes(png))).convert("RGB")
    legend = [kind for kind in ("focus", "defence", "weaker") if groups.get(kind)]
    return _png(_framed(body, title, caption, legend))


def history_strip_png(title: str, caption: str, bands: Sequence[Band]) -> bytes:
    """The years from first to last record on one axis, a coloured band for each period."""
    return _cached(("strip", title, caption, tuple(bands)), lambda: _draw_strip(title, caption, bands))


def drawn_strip_png(title: str, caption: str, bands: Sequence[Band]) -> bytes | None:
    """``history_strip_png`` if it is already drawn (cheap: no need for a worker thread), else None."""
    return _drawn(("strip", title, caption, tuple(bands)))


def _draw_strip(title: str, caption: str, bands: Sequence[Band]) -> bytes:
    first, last = bands[0].first, bands[-1].last
    span = max(last - first + 1, 1)
    left, right, top = 30, WIDTH - 30, 20
    bar_height = 60
    labelled = [b for b in bands if b.kind in ("defence", "weaker")]
    label_font, axis_font = _font(18), _font(16)
    body = Image.new("RGB", (WIDTH, top + bar_height + 40 + 26 * len(labelled) + 10), "white")
    draw = ImageDraw.Draw(body)

    def x_of(year: int) -> float:
        return left + (year - first) / span * (right - left)

    for band in bands:
        draw.rectangle((x_of(band.first), top, x_of(band.last + 1), top + bar_height), fill=COLOURS[band.kind])
    draw.rectangle((left, top, right, top + bar_height), outline="#555555")
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50) if span / s <= 12)
    tick = first - first % step + (step if first % step else 0)
    while tick <= last:
        x = x_of(tick)
        draw.line((x, top + bar_height, x, top + bar_height + 6), fill="#555555")
        draw.text((x - 16, top + bar_height + 8), str(tick), fill="#333333", font=axis_font)
        tick += step
    y = top + bar_height + 36
    for band in labelled:
        years = str(band.first) if band.first == band.last else f"{band.first}–{band.last}"
        draw.rectangle((left, y + 4, left + 14, y + 18), fill=COLOURS[band.kind])
        text = plain(f"{years}: {band.label}")
        if draw.textlength(text, font=label_font) > right - left - 24:
            while draw.textlength(text + "...", font=label_font) > right - left - 24 and len(text) > 10:
                text = text[:-1]
            text += "..."
        draw.text((left + 22, y), text, fill="#222222", font=label_font)
        y += 26
    legend = [
        kind for kind in ("defence", "partner", "weaker", "rival", "none", "missing") if any(b.kind == kind for b in bands)
    ]
    return _png(_framed(body, title, caption, legend))
