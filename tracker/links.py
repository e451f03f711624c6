"""Links built in bulk: one ``url_for`` per request, endpoint and argument names,
then filled in.  A bill's page lists 2,750 member votes and its API document as
many, each with a link to its legislator; ``url_for`` for each costs more than
the rest of the row."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from urllib.parse import quote

from flask import Flask, g, url_for

# What werkzeug leaves unquoted in a path segment (its converters' ``to_url``): a
# link made here is the link ``url_for`` makes.
PATH_SAFE = "!$&'()*+,/:;=@"
_PLAIN = re.compile(r"[A-Za-z0-9_.~-]*")  # what quote() always leaves as it is
_SLOT = re.compile(r"LINKSLOT(\d+)X")


class _Made:
    """This request's links, and each endpoint's ``url_for`` pattern: its text split
    at the slots, each slot the index of its value."""

    def __init__(self) -> None:
        self.links: dict[tuple[str, bool, tuple[tuple[str, str], ...]], str] = {}
        self.patterns: dict[tuple[str, bool, tuple[str, ...]], list[str | int]] = {}


def _made() -> _Made:
    made: _Made | None = g.get("links")
    if made is None:
        made = g.links = _Made()
    return made


def _pattern(made: _Made, endpoint: str, external: bool, names: tuple[str, ...]) -> list[str | int]:
    parts = made.patterns.get((endpoint, external, names))
    if parts is None:
        slots = {name: f"LINKSLOT{i}X" for i, name in enumerate(names)}
        pattern = url_for(endpoint, _external=external, **slots)
        # split at every slot at once: a value is never searched for another slot
        parts = made.patterns[(endpoint, external, names)] = [
            int(part) if odd else part
            for odd, part in zip(itertools.cycle((False, True)), _SLOT.split(pattern))
        ]
    return parts


def _quoted(value: str) -> str:
    return value if _PLAIN.fullmatch(value) else quote(value, safe=PATH_SAFE)


def link(endpoint: str, *, external: bool = False, **values: str) -> str:
    """``url_for(endpoint, **values, _external=external)`` for string path values,
    from a pattern built once per request (the values are path segments of string
    rules, quoted as ``url_for`` quotes them); each link is made once per request."""
    made = _made()
    items = tuple(values.items()) if len(values) == 1 else tuple(sorted(values.items()))
    found = made.links.get((endpoint, external, items))
    if found is None:
        parts = _pattern(made, endpoint, external, tuple(name for name, _ in items))
        quoted = [_quoted(value) for _, value in items]
        found = made.links[(endpoint, external, items)] = "".join(
            quoted[part] if isinstance(part, int) else part for part in parts
        )
    return found


def maker(endpoint: str, name: str, *, external: bool = False) -> Callable[[str], str]:
    """``lambda value: link(endpoint, **{name: value})`` for a page that links each
    of hundreds of different values (the list of legislators, 507 at ten sessions):
    the pattern is found once, and nothing is looked up per link."""
    before, _, after = _pattern(_made(), endpoint, external, (name,))  # text, slot, text
    if not isinstance(before, str) or not isinstance(after, str) or "?" in before:
        raise ValueError(f"{name!r} is not a path value of {endpoint}")  # quoted otherwise

    def make(value: str) -> str:
        return f"{before}{_quoted(value)}{after}"

    return make


def legislator_page(public_id: str) -> str:
    """The members' page of one legislator."""
    return link("public.legislator", public_id=public_id)


def roll_call_pages() -> Callable[[str], str]:
    """The members' page of each roll call (how each member voted, and its source),
    for a page that lists many."""
    return maker("public.roll_call", "public_id")


def legislator_pages() -> Callable[[str], str]:
    """``legislator_page`` for a page that lists hundreds of legislators."""
    return maker("public.legislator", "public_id")


def bill_page(session_identifier: str, key: str) -> str:
    """The members' page of one bill."""
    return link("public.bill", session=session_identifier, bill=key)


def register(app: Flask) -> None:
    """``legislator_page(public_id)`` and ``bill_page(session, key)`` in templates:
    for pages that list many (the legislators, a scorecard, a voting record)."""
    app.jinja_env.globals["legislator_page"] = legislator_page
    app.jinja_env.globals["bill_page"] = bill_page
    app.teardown_appcontext(_forget)


def _forget(_error: BaseException | None) -> None:
    """Drop the request's links when its context ends.  A page whose template
    keeps its context in a reference cycle (an import "with context") keeps ``g``
    until the cycle collector frees it, and with it every link and key held here:
    a scorecard page's 300 links were a thousand objects for each collection to
    walk.  Dropped here, they are freed by reference counting."""
    g.pop("links", None)
