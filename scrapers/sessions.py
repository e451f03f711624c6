"""Minnesota legislative sessions: the known table and the Revisor session list.

Identifiers follow Open States: ``2025-2026`` for a regular biennium and
``2025s1`` for the first special session of 2025.  A Revisor session code has
seven digits: the special-session number (0 for regular), the 2-digit legislature
and the 4-digit year (``0942025``, ``1942025``); mn-sources reads the first three
digits together as a "3-digit legislature" for regular sessions.
Sources: mn-sources.md sections 1.1 and 1.2.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from scrapers.parsing import ParseError, parse_html
from scrapers.records import SessionRecord

__all__ = [
    "KNOWN_SESSIONS",
    "known_session",
    "legislature_first_year",
    "parse_session_list",
    "session_from_revisor_code",
]


def legislature_first_year(legislature: int) -> int:
    """First (odd) calendar year of a legislature: the 94th began in 2025."""
    return 1837 + 2 * legislature


def _ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _session_name(year: int, special: int) -> str:
    if special:
        return f"{year} {_ordinal(special)} Special Session"
    return f"{year}-{year + 1} Regular Session"


_CODE = re.compile(r"^(\d)(\d{2})(\d{4})$", re.ASCII)
_NAME_TEXT = re.compile(
    r"""^\s*(\d+)(?:st|nd|rd|th)\s+Legislature\s*,\s*
    (?:(\d{4})\s*-\s*(\d{4})(?:\s+Regular\s+Session)?   # 2025-2026
      |(\d{4})\s+(\d+)(?:st|nd|rd|th)\s+Special\s+Session)  # 2025 1st Special Session
    \s*$""",
    re.IGNORECASE | re.VERBOSE,
)


def session_from_revisor_code(code: str, name_text: str | None = None) -> SessionRecord:
    """Derive a session from a 7-character Revisor code.

    ``0942025`` -> ``2025-2026`` (94th, regular); ``1942025`` -> ``2025s1``.
    A regular-session code may carry either year of the biennium (the Revisor
    accepts ``0942026`` too); the record is always the biennium, ``year`` its
    first year, and ``revisor_code`` the code as given.  ``name_text`` is the
    dropdown label ("94th Legislature, 2025 1st Special Session"); when given it
    must agree with the code.  Anything inconsistent raises ValueError.
    """
    if not isinstance(code, str):
        raise ValueError(f"Revisor session code must be a string, got {type(code).__name__}")
    match = _CODE.match(code.strip())
    if not match:
        raise ValueError(
            f"invalid Revisor session code {code!r}: expected 7 digits "
            "(special-session digit, 2-digit legislature, 4-digit year), e.g. '0942025'"
        )
    special, legislature, year = (int(g) for g in match.groups())
    if legislature < 1:
        raise ValueError(f"invalid Revisor session code {code!r}: legislature 0")
    first = legislature_first_year(legislature)
    if year not in (first, first + 1):
        raise ValueError(
            f"invalid Revisor session code {code!r}: the {_ordinal(legislature)} Legislature "
            f"sat in {first}-{first + 1}, not {year}"
        )
    if special:
        identifier = f"{year}s{special}"
        session_year = year
    else:
        identifier = f"{first}-{first + 1}"
        session_year = first
    name = _session_name(session_year, special)
    if name_text is not None:
        _check_name_text(code, name_text, legislature, session_year, special)
    return SessionRecord(
        identifier=identifier,
        revisor_code=code.strip(),
        name=name,
        legislature=legislature,
        year=session_year,
        special_number=special,
    )


def _check_name_text(code: str, text: str, legislature: int, year: int, special: int) -> None:
    match = _NAME_TEXT.match(text)
    if not match:
        raise ValueError(f"unrecognised session label {text!r} for code {code!r}")
    leg = int(match.group(1))
    if match.group(2):
        got = (leg, int(match.group(2)), 0)
        if int(match.group(3)) != got[1] + 1:
            raise ValueError(f"session label {text!r} is not a biennium")
    else:
        got = (leg, int(match.group(4)), int(match.group(5)))
    if got != (legislature, year, special):
        raise ValueError(
            f"session label {text!r} disagrees with code {code!r} "
            f"(label says legislature {got[0]}, year {got[1]}, special {got[2]})"
        )


# --- the known table ----------------------------------------------------------

# (code, House vote SessionKey, start, end).  Codes from mn-sources §1.1, House
# keys from §1.2 (None where unknown).  Dates where §1.1 gives them; for the
# regular sessions 2011-2023 the start is the constitutional convening day (the
# first Tuesday after the first Monday of January of the odd year), which the
# first day's House Journal confirms; no end dates are guessed.
_D = dt.date
_KNOWN: tuple[tuple[str, str | None, dt.date | None, dt.date | None], ...] = (
    # 2027-2028: the code follows the pattern but is unverified; no House key yet.
    ("0952027", None, None, None),
    ("0942025", "302", _D(2025, 1, 14), _D(2026, 5, 18)),
    ("1942025", "304", _D(2025, 6, 9), _D(2025, 6, 10)),
    ("0932023", "300", _D(2023, 1, 3), None),
    ("0922021", "257", _D(2021, 1, 5), None),
    ("1922021", "299", None, None),
    ("0912019", "249", _D(2019, 1, 8), None),
    ("1912019", "251", None, None),
    ("1912020", "252", None, None),
    ("2912020", "253", None, None),
    ("3912020", "254", None, None),
    ("4912020", "255", None, None),
    ("5912020", "256", None, None),
    ("6912020", "258", None, None),
    ("7912020", "259", None, None),
    ("0902017", "246", _D(2017, 1, 3), None),
    ("1902017", "248", None, None),
    ("0892015", "243", _D(2015, 1, 6), None),
    ("1892015", "245", None, None),
    ("0882013", None, _D(2013, 1, 8), None),
    ("1882013", None, None, None),
    ("0872011", None, _D(2011, 1, 4), None),
    ("1872011", None, None, None),
    ("1872012", None, None, None),
    ("0862009", None, None, None),
    ("1862010", None, None, None),
    ("2862010", None, None, None),
)

KNOWN_SESSIONS: tuple[SessionRecord, ...] = tuple(
    replace(session_from_revisor_code(code), house_vote_key=key, start_date=start, end_date=end)
    for code, key, start, end in _KNOWN
)
_BY_IDENTIFIER = {s.identifier: s for s in KNOWN_SESSIONS}


def known_session(identifier: str) -> SessionRecord:
    """The known session with this Open States identifier; KeyError if unknown."""
    try:
        return _BY_IDENTIFIER[identifier]
    except KeyError:
        raise KeyError(f"unknown Minnesota session {identifier!r}") from None


# --- the Revisor dropdown -------------------------------------------------------


def parse_session_list(content: bytes, *, source_url: str) -> list[SessionRecord]:
    """Sessions offered by ``<select name="session">`` on the Revisor status search page.

    Option values are session codes, option texts labels such as
    "94th Legislature, 2025-2026".  Options with an empty value (placeholders)
    are skipped; any other option that is not a consistent session code raises
    :class:`ParseError`, as does a page without options.  Sessions in the known
    table keep its name, dates and House vote key; the result is in page order,
    one record per session identifier (the first code listed wins).
    """
    root = parse_html(content, source_url=source_url)
    options = root.xpath('//select[@name="session"]/option | //select[@name="session"]/*/option')
    sessions: list[SessionRecord] = []
    seen: set[str] = set()
    for option in options:
        value = (option.get("value") or "").strip()
        if not value:
            continue
        label = " ".join(option.text_content().split())
        try:
            parsed = session_from_revisor_code(value, label or None)
        except ValueError as exc:
            raise ParseError(f"bad session option: {exc}", source_url=source_url) from exc
        if parsed.identifier in seen:
            continue
        seen.add(parsed.identifier)
        known = _BY_IDENTIFIER.get(parsed.identifier)
        if known is not None:
            parsed = replace(known, revisor_code=parsed.revisor_code)
        sessions.append(replace(parsed, source_url=source_url))
    if not sessions:
        raise ParseError('no <select name="session"> options found', source_url=source_url)
    return sessions
