"""Share card images: 1200x630 PNGs for Open Graph and Twitter cards.

A card shows the page's kind, its title and a line such as the group's
name, drawn with Pillow in Noto Sans CJK. The font is the file named by
settings.OUTREACH_CARD_FONT, or else the one fontconfig's `fc-match`
finds for "Noto Sans CJK JP" (Debian's fonts-noto-cjk). Without either
the card is drawn in Pillow's built-in font, which has no Japanese
glyphs, so Japanese text shows as empty boxes but the image still works.

Each PNG is kept in Django's cache under a key that contains the
object's updated_at, so an edit makes a new key and the old one expires.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import shutil
import subprocess
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from PIL import Image, ImageDraw, ImageFont

logger = logging.getLogger(__name__)

CARD_WIDTH = 1200
CARD_HEIGHT = 630
MARGIN = 72
# Cached cards expire after this many seconds. An edit changes the key,
# so an edited object gets a new card at once.
CACHE_SECONDS = 30 * 24 * 60 * 60
CACHE_KEY_VERSION = 1

BACKGROUND = "#07427d"
FOREGROUND = "#ffffff"
MUTED = "#d6e4f3"
BAND = "#ffbf47"

FontType = ImageFont.FreeTypeFont | ImageFont.ImageFont


@dataclass(frozen=True)
class CardText:
    """The text drawn on a card, already in the request's language."""

    kind: str
    title: str
    byline: str
    site_name: str


@dataclass(frozen=True)
class FontFile:
    path: str
    index: int = 0


def card_png(cache_key: str, text: CardText) -> bytes:
    """Return the card PNG for *text*, drawn once per *cache_key*."""
    key = f"outreach:card:v{CACHE_KEY_VERSION}:{cache_key}"
    png = cache.get(key)
    if png is None:
        png = render_card(text)
        cache.set(key, png, CACHE_SECONDS)
    return png


def cache_key_for(kind: str, pk: int, *stamps: dt.datetime, language: str) -> str:
    """Return the cache key of a card: object, last edits and language."""
    parts = [kind, str(pk), *(f"{stamp.timestamp():.6f}" for stamp in stamps)]
    return ":".join([*parts, language])


def render_card(text: CardText) -> bytes:
    """Draw *text* on a 1200x630 card and return it as PNG."""
    image = Image.new("RGB", (CARD_WIDTH, CARD_HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, CARD_WIDTH, 16), fill=BAND)
    width = CARD_WIDTH - 2 * MARGIN

    kind_font = _font(36)
    draw.text((MARGIN, 64), text.kind, font=kind_font, fill=BAND)

    title_font = _font(64, bold=True)
    y = 140
    for line in wrap_text(draw, text.title, title_font, width, max_lines=3):
        draw.text((MARGIN, y), line, font=title_font, fill=FOREGROUND)
        y += 88

    byline_font = _font(36)
    for line in wrap_text(draw, text.byline, byline_font, width, max_lines=2):
        draw.text((MARGIN, y + 16), line, font=byline_font, fill=MUTED)
        y += 52

    site_font = _font(32, bold=True)
    site_position = (MARGIN, CARD_HEIGHT - 88)
    draw.text(site_position, text.site_name, font=site_font, fill=FOREGROUND)

    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


def wrap_text(
    draw: ImageDraw.ImageDraw,
    text: str,
    font: FontType,
    max_width: int,
    *,
    max_lines: int,
) -> list[str]:
    """Break *text* into at most *max_lines* lines no wider than *max_width*.

    Japanese has no spaces between words, so lines break between any two
    characters. Text that does not fit ends with an ellipsis.
    """
    lines: list[str] = []
    current = ""
    for char in " ".join(text.split()):
        candidate = current + char
        if current and draw.textlength(candidate, font=font) > max_width:
            lines.append(current)
            current = char.lstrip()
        else:
            current = candidate
    if current:
        lines.append(current)
    if len(lines) <= max_lines:
        return lines
    shown = lines[:max_lines]
    last = shown[-1]
    while last and draw.textlength(last + "…", font=font) > max_width:
        last = last[:-1]
    shown[-1] = last + "…"
    return shown


def _font(size: int, *, bold: bool = False) -> FontType:
    font_file = find_font(bold=bold)
    if font_file is not None:
        try:
            return ImageFont.truetype(font_file.path, size, index=font_file.index)
        except OSError as error:
            logger.warning("Card font %s failed to load: %s", font_file.path, error)
    return ImageFont.load_default(size)


@functools.cache
def find_font(*, bold: bool = False) -> FontFile | None:
    """Return the Noto Sans CJK JP font file, or None when there is none.

    settings.OUTREACH_CARD_FONT wins when set. The result is kept for the
    life of the process, so fontconfig runs at most twice.
    """
    if settings.OUTREACH_CARD_FONT:
        return FontFile(settings.OUTREACH_CARD_FONT)
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        logger.warning("fc-match not found, so cards use Pillow's built-in font.")
        return None
    pattern = "Noto Sans CJK JP:weight=bold" if bold else "Noto Sans CJK JP"
    try:
        result = subprocess.run(  # noqa: S603 - fixed arguments
            [fc_match, "--format=%{file}|%{index}|%{family}", pattern],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError) as error:
        logger.warning("fc-match failed, so cards use Pillow's font: %s", error)
        return None
    path, _, rest = result.stdout.partition("|")
    index, _, family = rest.partition("|")
    # fc-match always returns its best substitute, so a match in another
    # family means the CJK font is not installed.
    if "Noto Sans CJK" not in family:
        logger.warning("Noto Sans CJK not found (fc-match gave %r).", family)
        return None
    return FontFile(path, int(index or 0))
