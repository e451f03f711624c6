"""The members' site in English, Spanish, Hmong and Somali (Flask-Babel, gettext).

**Which language a page answers in:** ``?lang=`` when it names a language we
offer (the choice is remembered in a ``lang`` cookie), then that remembered
choice, then the browser's ``Accept-Language``, then English.  ``<html lang>``
says which; the language switcher in every page's footer links ``?lang=``.

**Catalogs** live in ``tracker/translations/<code>/LC_MESSAGES/messages.po``
(compiled to ``.mo`` beside them; ``tests/test_i18n.py`` fails when a ``.mo`` is
older than its ``.po``).  English is the source text.  Spanish is complete;
Hmong (``hmn``) and Somali (``so``) hold what could be translated reliably and
are marked for review: a string they lack falls back to English, string by
string.  README "Languages" explains how to add a language.

Staff pages stay in English.  Dates and numbers are formatted for the language
(``format_day``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from babel.dates import format_date
from flask import Flask, Response, g, request
from flask_babel import Babel, get_locale

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class Language:
    code: str  # BCP 47: <html lang>, ?lang=, the cookie
    name: str  # in the language itself, as the switcher shows it
    reviewed: bool  # False: a partial catalog waiting for a fluent reviewer
    babel: str  # Babel's locale: the catalog's folder, dates and numbers


# Hmong: the page says "hmn" (the language); Babel knows White Hmong as "mww", but
# its dates are in the Nyiakeng Puachue script, not the Latin alphabet (RPA) that
# Minnesota's Hmong readers use, so Hmong dates are numeric (format_day).
LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", True, "en"),
    Language("es", "Español", True, "es"),
    Language("hmn", "Hmoob", False, "mww"),
    Language("so", "Soomaali", False, "so"),
)
CODES = tuple(language.code for language in LANGUAGES)
BY_CODE = {language.code: language for language in LANGUAGES}
BY_BABEL = {language.babel: language for language in LANGUAGES}
DEFAULT = "en"
ENGLISH_ONLY = ("/staff", "/admin", "/auth", "/api/")  # staff pages and the API

babel = Babel()


def _asked() -> str | None:
    """``?lang=`` when it names a language we offer."""
    wanted = (request.args.get("lang") or "").strip().lower()
    return wanted if wanted in CODES else None


def choose() -> str:
    """The language of this request (module docstring), as its page code."""
    if request.path.startswith(ENGLISH_ONLY):
        return DEFAULT
    asked = _asked()
    if asked:
        return asked
    remembered = request.cookies.get(COOKIE, "")
    if remembered in CODES:
        return remembered
    return request.accept_languages.best_match(CODES) or DEFAULT


def select_locale() -> str:
    """Flask-Babel's locale selector: Babel's locale of :func:`choose`."""
    return BY_CODE[choose()].babel


def current() -> str:
    """The page code (``en``, ``es``, ``hmn``, ``so``) of this request's language."""
    locale = get_locale()
    language = BY_BABEL.get(str(locale)) if locale is not None else None
    return language.code if language else DEFAULT


def remember_choice(response: Response) -> Response:
    """A ``?lang=`` choice is kept in a cookie (the page cache never stores such a
    response: it sets a cookie)."""
    asked = _asked()
    if asked and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=COOKIE_MAX_AGE, httponly=True,
                            samesite="Lax")
    return response


def lang_url(code: str) -> str:
    """This page in language ``code`` (its query kept)."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [code]
    return request.path + "?" + urlencode(args, doseq=True)


def format_day(day: dt.date, code: str | None = None) -> str:
    """``March 3, 2026`` / ``3 de marzo de 2026`` / ``3/3/2026`` (Hmong) in the
    page's language."""
    language = BY_CODE.get(code or current(), BY_CODE[DEFAULT])
    if language.code == "hmn":
        return f"{day.month}/{day.day}/{day.year}"
    return format_date(day, format="long", locale=language.babel)


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(TRANSLATIONS))
    app.after_request(remember_choice)

    @app.context_processor
    def languages() -> dict[str, object]:
        return {"languages": LANGUAGES, "page_lang": current(), "lang_url": lang_url,
                "translated_site": not request.path.startswith(ENGLISH_ONLY)}

    @app.before_request
    def _note_locale() -> None:
        g.page_lang = current()


__all__ = ["BY_CODE", "CODES", "COOKIE", "DEFAULT", "LANGUAGES", "Language", "babel", "choose",
           "current", "format_day", "init_app", "lang_url", "select_locale"]
