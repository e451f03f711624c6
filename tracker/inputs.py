"""Text the app cannot store is refused before anything reads it.

PostgreSQL rejects a NUL character in text (SQLite keeps it), no database can
encode a lone UTF-16 surrogate (JSON's ``"\\ud800"`` decodes to one), and the
other C0 control characters have no business in a name, a search or a
rationale.  One hook, run before every other, answers a request that carries
any of them in its path, query string, form fields or JSON body with a plain
400: an HTML error page, or the JSON error under ``/api/``
(``tracker.web.handle_http_error``).  Tab, carriage return and line feed stay
allowed (multi-line form text).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from flask import Flask, abort, request

# NUL and the other C0 controls except tab (09), line feed (0a) and carriage
# return (0d); and the surrogate code points, which UTF-8 cannot carry.
UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
MESSAGE = (
    "The request contains characters that cannot be accepted (a NUL byte, a control "
    "character or an unpaired surrogate). Remove them and try again."
)


def init_app(app: Flask) -> None:
    # First of all the app's before-request hooks: ahead of the CSRF check and the
    # rate limits, so the answer names the real problem and nothing reads the text.
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_unstorable_text)


def unstorable(text: str) -> bool:
    """Whether ``text`` holds a character the app refuses."""
    return UNSTORABLE.search(text) is not None


def refuse_unstorable_text() -> None:
    if any(unstorable(text) for text in request_texts()):
        abort(400, description=MESSAGE)


def request_texts() -> Iterator[str]:
    """Every piece of text the request carries: the path, the query string's and the
    form's names and values, and the strings of a JSON body."""
    yield request.path
    for key, value in request.args.items(multi=True):
        yield key
        yield value
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        for key, value in request.form.items(multi=True):
            yield key
            yield value
        if request.is_json:
            yield from _json_strings(request.get_data(cache=True))


def _json_strings(body: bytes) -> Iterator[str]:
    """The keys and string values of a JSON body; nothing when it is not JSON (the
    view that reads it says so)."""
    try:
        stack: list[Any] = [json.loads(body)]
    except (ValueError, RecursionError):
        return
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for key, item in value.items():
                yield key
                stack.append(item)
        elif isinstance(value, list):
            stack.extend(value)
