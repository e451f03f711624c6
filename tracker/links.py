"""Links built in bulk: one ``url_for`` per request, endpoint and argument names,
then filled in.  A bill's page lists 2,750 member votes and its API document as
many, each with a link to its legislator; ``url_for`` for each costs more than
the rest of the row."""

from __future__ import annotations

from urllib.parse import quote

from flask import g, url_for


def link(endpoint: str, *, external: bool = False, **values: str) -> str:
    """``url_for(endpoint, **values, _external=external)`` for string path values,
    from a pattern built once per request (the values are quoted as path segments,
    as ``url_for`` quotes them); each link is made once per request."""
    items = tuple(sorted(values.items()))
    links: dict[tuple[str, bool, tuple[tuple[str, str], ...]], str] = g.setdefault("links", {})
    found = links.get((endpoint, external, items))
    if found is None:
        names = tuple(name for name, _ in items)
        patterns: dict[tuple[str, bool, tuple[str, ...]], str] = g.setdefault("link_patterns", {})
        found = patterns.get((endpoint, external, names))
        if found is None:
            slots = {name: f"LINKSLOT{i}X" for i, name in enumerate(names)}
            found = patterns[(endpoint, external, names)] = url_for(
                endpoint, _external=external, **slots
            )
        for i, (_, value) in enumerate(items):
            found = found.replace(f"LINKSLOT{i}X", quote(value, safe=""))
        links[(endpoint, external, items)] = found
    return found


def legislator_page(public_id: str) -> str:
    """The members' page of one legislator."""
    return link("public.legislator", public_id=public_id)
