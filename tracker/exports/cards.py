"""Share images (1200×630 PNG, the OpenGraph size) and SVG badges per legislator.

Fonts are DejaVu Sans, shipped with matplotlib, so accented names render.
Colours and the organization's name come from ``TRACKER_ORG_COLORS`` and
``TRACKER_ORG_NAME``.  The words are in the request's language (``?lang=es``:
``tracker.i18n``), English outside a request.
"""

from __future__ import annotations

import functools
import io
import re
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from flask_babel import gettext, ngettext
from PIL import Image, ImageColor, ImageDraw, ImageFont

from scrapers.vocab import CHAMBER_NAMES
from tracker.exports import DRAFT_MARK, ExportData, shown
from tracker.snapshots import Row as LegislatorRow

WIDTH, HEIGHT = 1200, 630
FALLBACK = ("#1b4f72", "#f4d03f")
HEX = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


def font_path(bold: bool = False) -> Path:
    import matplotlib

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name


@functools.lru_cache(maxsize=64)
def _font(size: int, bold: bool) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(bold)), size)


def _rgb(value: str, fallback: str) -> tuple[int, int, int]:
    try:
        color = ImageColor.getrgb(value)
    except (ValueError, AttributeError):
        color = ImageColor.getrgb(fallback)
    return color[:3]


def colors(settings: list[str]) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    primary = _rgb(settings[0] if settings else FALLBACK[0], FALLBACK[0])
    accent = _rgb(
        settings[1] if len(settings) > 1 else (settings[0] if settings else FALLBACK[1]),
        FALLBACK[1],
    )
    return primary, accent


def _text_on(background: tuple[int, int, int]) -> tuple[int, int, int]:
    r, g, b = background
    return (20, 20, 20) if (0.299 * r + 0.587 * g + 0.114 * b) > 150 else (255, 255, 255)


def _fit(
    draw: ImageDraw.ImageDraw, text: str, max_width: int, size: int, bold: bool, minimum: int = 18
) -> ImageFont.FreeTypeFont:
    while size > minimum:
        font = _font(size, bold)
        if draw.textlength(text, font=font) <= max_width:
            return font
        size -= 4
    return _font(minimum, bold)


def _ellipsize(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, max_width: int
) -> str:
    if draw.textlength(text, font=font) <= max_width:
        return text
    while text and draw.textlength(text + "…", font=font) > max_width:
        text = text[:-1]
    return text.rstrip() + "…"


def seat_title(row: LegislatorRow) -> str:
    """``Representative, House District 10A`` (no party)."""
    if row.chamber == "house":
        return gettext("Representative, House District %(district)s", district=row.district)
    if row.chamber == "senate":
        return gettext("Senator, Senate District %(district)s", district=row.district)
    return f"Senator, {CHAMBER_NAMES.get(row.chamber, row.chamber)} District {row.district}"


def chamber_median(chamber: str, score: object) -> str:
    """``House median 54`` in the request's language."""
    if chamber == "house":
        return gettext("House median %(score)s", score=score)
    if chamber == "senate":
        return gettext("Senate median %(score)s", score=score)
    return gettext(
        "%(group)s median %(score)s", group=CHAMBER_NAMES.get(chamber, chamber), score=score
    )


def seat_line(row: LegislatorRow) -> str:
    """``Representative, House District 10A · DFL``."""
    return " · ".join([seat_title(row)] + ([row.party] if row.party else []))


def _party_and_attendance(
    draw: ImageDraw.ImageDraw, row: LegislatorRow, left: int, right: int, baseline: int
) -> None:
    """The party code in full (never cut: "DFL", not "D…"), then the attendance,
    which gives way (shortened with "…") when the line is too long."""
    x = left
    if row.party:
        party_font = _fit(draw, row.party, right - left, 28, True, minimum=14)
        draw.text((x, baseline), row.party, font=party_font, fill=(40, 40, 40), anchor="ls")
        x += int(draw.textlength(row.party, font=party_font))
    if not row.votes_possible:
        return
    font = _font(28, False)
    attendance = (" · " if row.party else "") + gettext(
        "Voted on %(cast)s of %(possible)s scored votes",
        cast=row.votes_cast,
        possible=row.votes_possible,
    )
    if right - x > draw.textlength(" · …", font=font):
        draw.text(
            (x, baseline),
            _ellipsize(draw, attendance, font, right - x),
            font=font,
            fill=(90, 90, 90),
            anchor="ls",
        )


def share_image(data: ExportData, row: LegislatorRow) -> bytes:
    """The 1200×630 PNG share card of one legislator on one scorecard version."""
    primary, accent = colors(data.org_colors)
    image = Image.new("RGB", (WIDTH, HEIGHT), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    on_primary = _text_on(primary)
    # Brand band on the left with the score, white panel on the right.
    draw.rectangle((0, 0, 430, HEIGHT), fill=primary)
    draw.rectangle((0, HEIGHT - 18, WIDTH, HEIGHT), fill=accent)
    score = shown(row.score)
    label = gettext("SCORE")
    band = 430 - 30  # the brand band's width, less a margin
    draw.text(
        (215, 120), label, font=_fit(draw, label, band, 34, True), fill=on_primary, anchor="mm"
    )
    if score is None:
        # Two lines ("Not enough" / "votes"), each fitted to the band
        for text, y in ((gettext("Not enough"), 270), (gettext("votes"), 335)):
            draw.text(
                (215, y), text, font=_fit(draw, text, band, 50, True), fill=on_primary, anchor="mm"
            )
    else:
        out_of = gettext("out of 100")
        draw.text((215, 280), str(score), font=_font(190, True), fill=on_primary, anchor="mm")
        draw.text(
            (215, 395),
            out_of,
            font=_fit(draw, out_of, band, 30, False),
            fill=on_primary,
            anchor="mm",
        )
    if row.grade and score is not None:
        draw.ellipse((160, 440, 270, 550), fill=accent)
        draw.text((215, 495), row.grade, font=_font(64, True), fill=_text_on(accent), anchor="mm")
    left, right = 480, WIDTH - 50
    name_font = _fit(draw, row.person.name, right - left, 76, True, minimum=34)
    name = _ellipsize(draw, row.person.name, name_font, right - left)
    draw.text((left, 150), name, font=name_font, fill=(20, 20, 20), anchor="ls")
    seat = seat_title(row)
    seat_font = _fit(draw, seat, right - left, 34, False, minimum=26)
    draw.text(
        (left, 215),
        _ellipsize(draw, seat, seat_font, right - left),
        font=seat_font,
        fill=(60, 60, 60),
        anchor="ls",
    )
    _party_and_attendance(draw, row, left, right, 270)
    title_font = _font(36, True)
    lines = _wrap(draw, data.title, title_font, right - left, 3)
    for index, line in enumerate(lines):
        draw.text((left, 380 + 46 * index), line, font=title_font, fill=primary, anchor="ls")
    draw.text(
        (left, 575),
        _ellipsize(draw, data.org_name, _font(30, True), right - left),
        font=_font(30, True),
        fill=(40, 40, 40),
        anchor="ls",
    )
    draw.text(
        (right, 575),
        data.version_words if not data.draft else "",
        font=_font(22, False),
        fill=(110, 110, 110),
        anchor="rs",
    )
    if data.draft:
        _watermark(image)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False, compress_level=6)
    return buffer.getvalue()


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int, max_lines: int
) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}".strip()
        if line and draw.textlength(candidate, font=font) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = _ellipsize(draw, lines[-1] + " …", font, width)
    return lines


def _watermark(image: Image.Image) -> None:
    layer = Image.new("RGBA", (WIDTH, HEIGHT), (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    draw.text(
        (WIDTH // 2, HEIGHT // 2),
        DRAFT_MARK,
        font=_font(64, True),
        fill=(200, 0, 0, 110),
        anchor="mm",
    )
    rotated = layer.rotate(20, resample=Image.Resampling.BICUBIC)
    image.paste(rotated, (0, 0), rotated)


# ---------------------------------------------------------------- SVG badge


def _text_width(text: str, size: int = 11) -> int:
    return int(_font(size, False).getlength(text)) + 12


def badge_svg(label: str, value: str, color: str) -> bytes:
    """A small two-part badge ("Org score | 87 B"), valid standalone SVG."""
    left, right = _text_width(label), _text_width(value)
    width, height = left + right, 20
    fill = color if HEX.fullmatch(color) else FALLBACK[0]
    label_x, value_x = left / 2, left + right / 2
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{xml_escape(label, {chr(34): "&quot;"})}: '
        f'{xml_escape(value, {chr(34): "&quot;"})}">'
        f"<title>{xml_escape(label)}: {xml_escape(value)}</title>"
        f'<rect width="{left}" height="{height}" rx="3" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="{height}" rx="3" fill="{fill}"/>'
        f'<rect x="{left}" width="4" height="{height}" fill="{fill}"/>'
        f'<g fill="#fff" text-anchor="middle" font-family="DejaVu Sans,Verdana,sans-serif" '
        f'font-size="11">'
        f'<text x="{label_x:.1f}" y="14">{xml_escape(label)}</text>'
        f'<text x="{value_x:.1f}" y="14" font-weight="bold">{xml_escape(value)}</text>'
        f"</g></svg>"
    )
    return svg.encode()


def badge_for(data: ExportData, row: LegislatorRow) -> bytes:
    score = shown(row.score)
    value = (
        gettext("not enough votes")
        if score is None
        else (f"{score}" + (f" ({row.grade})" if row.grade else ""))
    )
    primary = data.org_colors[0] if data.org_colors else FALLBACK[0]
    return badge_svg(gettext("%(org)s score", org=data.org_name), value, primary)


def scorecard_image(data: ExportData) -> bytes:
    """The 1200×630 PNG share image of a whole scorecard (title, medians)."""
    primary, accent = colors(data.org_colors)
    image = Image.new("RGB", (WIDTH, HEIGHT), primary)
    draw = ImageDraw.Draw(image)
    ink = _text_on(primary)
    draw.rectangle((0, HEIGHT - 18, WIDTH, HEIGHT), fill=accent)
    left, right = 70, WIDTH - 70
    draw.text(
        (left, 110),
        _ellipsize(draw, data.org_name, _font(36, True), right - left),
        font=_font(36, True),
        fill=ink,
        anchor="ls",
    )
    title_font = _fit(draw, data.title, right - left, 64, True, minimum=40)
    for index, line in enumerate(_wrap(draw, data.title, title_font, right - left, 3)):
        draw.text((left, 230 + 76 * index), line, font=title_font, fill=ink, anchor="ls")
    medians = [
        chamber_median(k, shown(v))
        for k, v in sorted(data.view.chamber_medians.items())
        if v is not None
    ]
    summary = (
        ngettext("%(num)d legislator", "%(num)d legislators", len(data.rows))
        + " · "
        + ngettext("%(num)d scored vote", "%(num)d scored votes", len(data.view.votes))
    )
    draw.text((left, 500), summary, font=_font(32, False), fill=ink, anchor="ls")
    draw.text((left, 552), " · ".join(medians), font=_font(32, False), fill=ink, anchor="ls")
    draw.text(
        (right, 590),
        data.version_words if not data.draft else "",
        font=_font(22, False),
        fill=ink,
        anchor="rs",
    )
    if data.draft:
        _watermark(image)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()
