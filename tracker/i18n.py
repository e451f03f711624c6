"""The members' site in English, Spanish, Hmong and Somali (Flask-Babel, gettext).

**Which language a page answers in:** ``?lang=`` when it names a language we
offer (the choice is remembered in a ``lang`` cookie), then that remembered
choice, then the browser's ``Accept-Language``, then English.  ``<html lang>``
says which; the language switcher in every page's footer links ``?lang=``.

**Catalogs** live in ``tracker/translations/<code>/LC_MESSAGES/messages.po``
(compiled to ``.mo`` beside them; ``tests/test_i18n.py`` fails when a ``.mo`` does
not hold what its ``.po`` says; ``make translations`` extracts, updates, compiles).
English is the source text.  Spanish is complete; Hmong (``hmn``) and Somali
(``so``) hold what could be translated reliably and are marked for review: a
string they lack falls back to English, string by string.  README "Languages"
explains how to add a language.

Staff pages stay in English.  Dates and numbers are formatted for the language
(``format_day``, ``format_clock``, ``format_number``; the ``|local_day`` and
``|local_time`` filters and ``|percent`` use them on members' pages).

**Staff-written text per language** (rationales, scored-vote descriptions, alert
titles, summaries, call scripts and email templates): each such row keeps a
``translations`` JSON, ``{"es": {"call_script": "..."}}``; :func:`localized` picks
the page's language where staff gave one, else the English text.  Emails are
rendered in the subscriber's language (``Subscriber.language``, :func:`speaking`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations
from flask import Flask, Response, g, has_request_context, request
from flask_babel import Babel, force_locale, get_locale, get_translations

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
COOKIE = "lang"
COOKIE_MAX_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class Language:
    code: str  # BCP 47: <html lang>, ?lang=, the cookie
    name: str  # in the language itself, as the switcher shows it
    reviewed: bool  # False: a partial catalog waiting for a fluent reviewer
    babel: str  # Babel's locale: the catalog's folder, dates and numbers
    formats: str = ""  # Babel's locale for dates, times and numbers when not ``babel``

    @property
    def formatting(self) -> str:
        return self.formats or self.babel


# Hmong: the page says "hmn" (the language); Babel knows White Hmong as "mww", but
# its dates are in the Nyiakeng Puachue script, not the Latin alphabet (RPA) that
# Minnesota's Hmong readers use, so Hmong dates are numeric (format_day).
LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", True, "en"),
    # Spanish as written in the United States (and Mexico): 62.5, 12,345, 9:05 a.m.
    Language("es", "Español", True, "es", "es_US"),
    Language("hmn", "Hmoob", False, "mww"),
    Language("so", "Soomaali", False, "so"),
)
CODES = tuple(language.code for language in LANGUAGES)
BY_CODE = {language.code: language for language in LANGUAGES}
BY_BABEL = {language.babel: language for language in LANGUAGES}
DEFAULT = "en"
EMBEDS = "/embed/"
ENGLISH_ONLY = ("/staff", "/admin", "/auth", "/api/")  # staff pages and the API

babel = Babel()


def N_(text: str) -> str:  # noqa: N802 - gettext's name for "mark, translate later"
    """Marks ``text`` for extraction; it is translated where it is shown
    (``gettext(text)`` or :func:`word`)."""
    return text


# English labels other modules define, shown on members' pages through :func:`word`
# (``tests/test_i18n_catalogs.py`` checks that the vocabulary's, the committee roles'
# and sources' and the follow frequencies' labels are all in the catalogs):
# scrapers.vocab's chambers, parties and bill statuses; tracker.committees' roles and
# sources; tracker.roster's term-date sources; tracker.follows' frequencies; the
# names of the HTTP errors a member can meet; tracker.lookup's fixed messages.
ELSEWHERE = (
    N_("House"),
    N_("Senate"),
    N_("Democratic-Farmer-Labor"),
    N_("Republican"),
    N_("Independent"),
    N_("Legal Marijuana Now"),
    N_("Grassroots-Legalize Cannabis"),
    N_("No party recorded"),
    N_("Introduced"),
    N_("In committee"),
    N_("Passed the House"),
    N_("Passed the Senate"),
    N_("Passed both chambers"),
    N_("In conference committee"),
    N_("Presented to the governor"),
    N_("Signed into law (chaptered)"),
    N_("Vetoed"),
    N_("Chair"),
    N_("Co-chair"),
    N_("Vice chair"),
    N_("Co-vice chair"),
    N_("Ranking minority member"),
    N_("Alternate"),
    N_("Member"),
    N_("Open States"),
    N_("the House committee page"),
    N_("the Senate committee page"),
    N_("the committee's minutes"),
    N_("the hearing schedule"),
    N_("confirmed by staff"),
    N_("invented demo data"),
    N_("Legislative Reference Library"),
    N_("the chamber's member list"),
    N_("the journal roll"),
    N_("the day before the member's next term"),
    N_("no source"),
    N_("as it happens"),
    N_("daily digest"),
    N_("weekly digest"),
    N_("Bad Request"),
    N_("Not Found"),
    N_("Method Not Allowed"),
    N_("Too Many Requests"),
    N_("Conflict"),
    N_("Gone"),
    N_("Request Entity Too Large"),
    N_("Service Unavailable"),
    N_("Internal Server Error"),
    # Werkzeug's own descriptions of those errors (an error page without its own words)
    N_("The browser (or proxy) sent a request that this server could not understand."),
    N_(
        "The requested URL was not found on the server. If you entered the URL manually "
        "please check your spelling and try again."
    ),
    N_("The method is not allowed for the requested URL."),
    N_(
        "A conflict happened while processing the request. The resource might have been "
        "modified while the request was being processed."
    ),
    N_(
        "The requested URL is no longer available on this server and there is no forwarding "
        "address. If you followed a link from a foreign page, please contact the author of "
        "this page."
    ),
    N_("The data value transmitted exceeds the capacity limit."),
    N_("This user has exceeded an allotted request count. Try again later."),
    N_(
        "The server encountered an internal error and was unable to complete your request. "
        "Either the server is overloaded or there is an error in the application."
    ),
    N_(
        "The server is temporarily unable to service your request due to maintenance "
        "downtime or capacity problems. Please try again later."
    ),
    N_("The CSRF token is missing."),
    N_("The CSRF token has expired."),
    N_("The CSRF session token is missing."),
    N_("The CSRF tokens do not match."),
    N_("Enter a district number, such as 62A (House) or 50 (Senate)."),
    N_("That is too long for a district; try something like 62A or 50."),
    N_("Type at least two letters of the name."),
    N_("The address contains characters that cannot be in an address."),
    N_("Enter a street address, city and ZIP code."),
)


def catalog() -> NullTranslations:
    """The catalog of the language being rendered (Flask-Babel's translations).

    Flask-Babel finds it anew for every string (the request's locale, its name,
    a dictionary); a scorecard page translates 1,300 strings.  It is found once per
    request and locale here: kept beside the locale Flask-Babel chose (and
    ``force_locale`` replaces), and found again whenever that locale object
    changes.  Before Flask-Babel has chosen one, and outside requests, this is
    ``get_translations()`` itself."""
    try:
        state = g._flask_babel
        locale = state.babel_locale
    except (AttributeError, RuntimeError):  # no choice yet, or no app context
        return get_translations()
    kept = getattr(state, "tracker_catalog", None)
    if kept is None or kept[0] is not locale:
        kept = state.tracker_catalog = (locale, get_translations())
    return kept[1]


def gettext(text: str, **variables: Any) -> str:
    """Flask-Babel's ``gettext``, through :func:`catalog`."""
    translated = str(catalog().ugettext(text))
    return translated % variables if variables else translated


def word(text: str | None) -> str:
    """``text`` (an English label defined elsewhere: vocabulary, committee roles,
    how often an email comes) in the page's language when the catalog has it."""
    return gettext(text) if text else (text or "")


# A roll call's outcome as the sources print it, and the organization's published
# position, as members' pages show them (``|outcome``, ``|stance``).
OUTCOMES = {
    "passed": N_("Passed"),
    "failed": N_("Failed"),
    "adopted": N_("Adopted"),
    "not adopted": N_("Not adopted"),
    "prevailed": N_("Prevailed"),
    "did not prevail": N_("Did not prevail"),
}
STANCES = {"support": N_("Support"), "oppose": N_("Oppose"), "none": N_("No position")}


def outcome_word(outcome: str | None) -> str:
    """``passed`` -> "Passed" (in the page's language); other outcomes capitalized."""
    text = (outcome or "").strip()
    known = OUTCOMES.get(text.lower())
    return gettext(known) if known else text.capitalize()


def stance_word(position: str | None, blank: str = "–") -> str:
    """``support`` -> "Support" (in the page's language); nothing -> ``blank``."""
    known = STANCES.get(position or "")
    return gettext(known) if known else (position or blank).capitalize()


def _asked() -> str | None:
    """``?lang=`` when it names a language we offer."""
    wanted = (request.args.get("lang") or "").strip().lower()
    return wanted if wanted in CODES else None


def choose() -> str:
    """The language of this request (module docstring), as its page code; English
    outside a request (the scheduler, the command line) unless :func:`speaking`."""
    if not has_request_context() or request.path.startswith(ENGLISH_ONLY):
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
    response: it sets a cookie), never on embeds, which set no cookie on another
    organization's site (their ``?lang=`` is in the embed's own address).  Members'
    pages say they vary by language (``Vary: Accept-Language, Cookie``)."""
    asked = _asked()
    if asked and request.cookies.get(COOKIE) != asked and not request.path.startswith(EMBEDS):
        response.set_cookie(COOKIE, asked, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax")
    if not request.path.startswith(ENGLISH_ONLY):
        # the language may come from the browser or the cookie: no shared cache may
        # give one reader's language to another
        response.vary.update(("Accept-Language", "Cookie"))
    return response


def code_of(value: str | None) -> str:
    """A language code we offer (``es``), else English: for what a form posted."""
    wanted = (value or "").strip().lower()
    return wanted if wanted in CODES else DEFAULT


@contextlib.contextmanager
def speaking(code: str | None) -> Iterator[None]:
    """Render in language ``code`` (an email in its subscriber's language); an
    unknown code is English."""
    with force_locale(BY_CODE[code_of(code)].babel):
        yield


def lang_url(code: str) -> str:
    """This page in language ``code`` (its query kept)."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [code]
    return request.path + "?" + urlencode(args, doseq=True)


def format_day(day: dt.date, code: str | None = None) -> str:
    """``March 3, 2026`` / ``3 de marzo de 2026`` / ``3/3/2026`` (Hmong) in the
    page's language."""
    language = BY_CODE.get(code or current(), BY_CODE[DEFAULT])
    if language.code == DEFAULT:
        from tracker import localtime

        return localtime.day(day)
    if language.code == "hmn":
        return f"{day.month}/{day.day}/{day.year}"
    return format_date(day, format="long", locale=language.formatting)


def format_clock(moment: dt.datetime, code: str | None = None) -> str:
    """``9:05 a.m. CST`` in Minnesota time, in the page's language (Hmong: 24-hour)."""
    from tracker import localtime

    language = BY_CODE.get(code or current(), BY_CODE[DEFAULT])
    when = localtime.local(moment)
    if language.code == DEFAULT:
        return localtime.clock(moment)
    if language.code == "hmn":
        return f"{when.hour:02d}:{when.minute:02d} {when.tzname()}"
    from babel.dates import format_time

    return f"{format_time(when, format='short', locale=language.formatting)} {when.tzname()}"


def local_day(moment: dt.datetime | dt.date) -> str:
    """``|local_day``: a time's Minnesota date (a date as it is), in the page's language."""
    from tracker import localtime

    if current() == DEFAULT:
        return localtime.day(moment)
    return format_day(localtime.local(moment).date() if isinstance(moment, dt.datetime) else moment)


def local_time(moment: dt.datetime) -> str:
    """``|local_time``: ``March 3, 2026, 9:05 a.m. CST`` in the page's language."""
    from tracker import localtime

    if current() == DEFAULT:
        return localtime.day_and_clock(moment)
    return f"{format_day(localtime.local(moment).date())}, {format_clock(moment)}"


def format_number(value: Any, code: str | None = None) -> str:
    """A score, count or exact figure (``62.5``) in the page's number format (English
    as it always was: ``1234``, ``62.5``)."""
    language = BY_CODE.get(code or current(), BY_CODE[DEFAULT])
    if language.code == DEFAULT:
        return str(value)
    return format_decimal(value, locale=language.formatting)


def format_share(fraction: Any, code: str | None = None) -> str:
    """A share already rounded to a whole percent (``0.62``) as ``62%`` in the page's
    format (``62 %`` where the language puts a space)."""
    language = BY_CODE.get(code or current(), BY_CODE[DEFAULT])
    return _percent(fraction, language.formatting)


@functools.lru_cache(maxsize=4096)
def _percent(fraction: Any, locale: str) -> str:
    """Babel's percent format, kept: a whole percent has a hundred and one forms per
    language, and a legislator's page shows one for each scorecard."""
    return format_percent(fraction, locale=locale)


def localized(source: Any, field: str, code: str | None = None) -> str:
    """Staff-written ``field`` of ``source`` in the page's language (``code``) where
    staff gave it, else the English text: the one rule for text entered per language.

    The translations are ``source.translations`` (``{"es": {field: text}}``); a
    ``published_<field>`` reads ``source.published_translations[code][field]``; a
    published scorecard's vote (a frozen vote or a snapshot's) keeps them in its
    ``facts["translations"]``."""
    english = source.get(field) if isinstance(source, Mapping) else getattr(source, field, "")
    return localized_text(english, translations_of(source, field), field, code)


def translations_of(source: Any, field: str) -> Mapping[str, Any]:
    """Where :func:`localized` finds ``field``'s translations on ``source``."""
    attribute = "published_translations" if field.startswith("published_") else "translations"
    table = (
        source.get(attribute) if isinstance(source, Mapping) else getattr(source, attribute, None)
    )
    if table is None:
        facts = getattr(source, "facts", None)
        table = facts.get("translations") if isinstance(facts, Mapping) else None
    return table if isinstance(table, Mapping) else {}


def localized_text(
    english: str | None, translations: Mapping[str, Any] | None, field: str, code: str | None = None
) -> str:
    """``translations[code][field]`` when given (not blank), else ``english``."""
    key = field.removeprefix("published_")
    wanted = code or current()
    given = ((translations or {}).get(wanted) or {}).get(key) if wanted != DEFAULT else None
    return given if isinstance(given, str) and given.strip() else (english or "")


def language_of(source: Any, field: str, code: str | None = None) -> str:
    """The language :func:`localized` answers in: ``code`` (the page's) when staff gave
    the text in it, else English (placeholders are filled in that language)."""
    wanted = code or current()
    given = (
        (translations_of(source, field).get(wanted) or {}).get(field.removeprefix("published_"))
        if wanted != DEFAULT
        else None
    )
    return wanted if isinstance(given, str) and given.strip() else DEFAULT


OTHER_LANGUAGES = tuple(language for language in LANGUAGES if language.code != DEFAULT)


def translations_from_form(
    form: Mapping[str, str], fields: tuple[str, ...], limit: int = 10_000
) -> dict[str, dict[str, str]] | None:
    """What a staff form posted as ``<field>__<code>`` (``call_script__es``), blank
    ones left out: the ``translations`` JSON of the row; None when the form has no
    such field (keep the row's).  Staff templates show the fields with the
    ``other_languages`` macro of ``staff/_languages.html``."""
    if not any(
        f"{field}__{language.code}" in form for field in fields for language in OTHER_LANGUAGES
    ):
        return None
    out: dict[str, dict[str, str]] = {}
    for language in OTHER_LANGUAGES:
        for field in fields:
            text = (form.get(f"{field}__{language.code}") or "").replace("\r\n", "\n").strip()
            if text:
                out.setdefault(language.code, {})[field] = text[:limit]
    return out


def init_app(app: Flask) -> None:
    babel.init_app(
        app, locale_selector=select_locale, default_translation_directories=str(TRANSLATIONS)
    )
    # Flask-Babel's template callables, through the catalog found once per request
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: catalog().ugettext(s),
        ngettext=lambda s, p, n: catalog().ungettext(s, p, n),
        pgettext=lambda c, s: catalog().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalog().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.after_request(remember_choice)
    app.jinja_env.globals["localized"] = localized
    app.jinja_env.globals["translation_languages"] = OTHER_LANGUAGES
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["word"] = word
    app.jinja_env.filters["outcome"] = outcome_word
    app.jinja_env.filters["stance"] = stance_word
    app.jinja_env.filters["as_day"] = format_day

    @app.context_processor
    def languages() -> dict[str, object]:
        translated = has_request_context() and not request.path.startswith(ENGLISH_ONLY)
        return {
            "languages": LANGUAGES,
            "page_lang": current(),
            "lang_url": lang_url,
            "page_language": BY_CODE.get(current(), BY_CODE[DEFAULT]),
            "translated_site": translated,
        }

    @app.before_request
    def _note_locale() -> None:
        g.page_lang = current()


def register_filters(app: Flask) -> None:
    """``|local_day`` and ``|local_time`` in the page's language (English on staff
    pages and outside requests: ``tracker.localtime``'s words); after
    ``localtime.register``."""
    app.jinja_env.filters["local_day"] = local_day
    app.jinja_env.filters["local_time"] = local_time


__all__ = [
    "BY_CODE",
    "CODES",
    "COOKIE",
    "DEFAULT",
    "LANGUAGES",
    "OTHER_LANGUAGES",
    "Language",
    "N_",
    "babel",
    "choose",
    "code_of",
    "current",
    "format_clock",
    "format_day",
    "format_number",
    "format_share",
    "init_app",
    "lang_url",
    "language_of",
    "local_day",
    "local_time",
    "localized",
    "localized_text",
    "register_filters",
    "select_locale",
    "speaking",
    "translations_from_form",
    "translations_of",
    "word",
]
