"""Languages of the members' site (tracker.i18n): ?lang=, a remembered choice,
Accept-Language, <html lang>, the switcher; staff pages stay English; the page
cache keeps one copy per language; catalogs compiled."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tracker import i18n


def lang_of(page: str) -> str:
    return re.search(r'<html lang="([^"]+)"', page).group(1)


def test_the_language_is_chosen_by_query_then_cookie_then_browser(
    client: FlaskClient, app: Flask
) -> None:
    assert lang_of(client.get("/").get_data(as_text=True)) == "en"
    spanish = {"Accept-Language": "es-MX,es;q=0.9,en;q=0.5"}
    assert lang_of(client.get("/", headers=spanish).get_data(as_text=True)) == "es"
    somali = client.get("/?lang=so")
    assert lang_of(somali.get_data(as_text=True)) == "so"
    assert "lang=so" in somali.headers.get("Set-Cookie", "")
    # remembered, whatever the browser says, until another ?lang=
    assert lang_of(client.get("/", headers=spanish).get_data(as_text=True)) == "so"
    assert lang_of(client.get("/?lang=en").get_data(as_text=True)) == "en"
    assert lang_of(client.get("/?lang=xx").get_data(as_text=True)) == "en"  # not offered


def test_the_switcher_links_every_language_and_staff_pages_stay_english(
    client: FlaskClient, app: Flask
) -> None:
    page = client.get("/legislators?chamber=house&lang=es").get_data(as_text=True)
    for language in i18n.LANGUAGES:
        assert f'hreflang="{language.code}"' in page and language.name in page
    assert "/legislators?chamber=house&amp;lang=hmn" in page
    sign_in = client.get("/auth/login", headers={"Accept-Language": "es"})
    assert lang_of(sign_in.get_data(as_text=True)) == "en"
    assert 'hreflang="es"' not in sign_in.get_data(as_text=True)


@pytest.mark.parametrize("code", ["es", "mww", "so"])
def test_every_catalog_is_compiled_from_its_source(code: str) -> None:
    folder = i18n.TRANSLATIONS / code / "LC_MESSAGES"
    po, mo = folder / "messages.po", folder / "messages.mo"
    assert po.is_file() and mo.is_file()
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as source, mo.open("rb") as compiled:
        # plural entries: ids and strings are tuples in a .po, lists in a .mo
        def same(value: Any) -> Any:
            return tuple(value) if isinstance(value, list | tuple) else value

        written = {
            same(m.id): same(m.string)
            for m in read_po(source)
            if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string) and not m.fuzzy
        }
        built = {same(m.id): same(m.string) for m in read_mo(compiled) if m.id}
        # Babel compiles an untranslated plural entry as its English forms
        built = {key: text for key, text in built.items() if key in written or text != key}
    assert written == built, f"run: pybabel compile -d {i18n.TRANSLATIONS}"


def test_the_page_cache_keeps_one_copy_per_language(
    app: Flask, demo_full: None, client: Any
) -> None:
    app.config["CACHE_TYPE"] = "SimpleCache"
    from tracker.extensions import cache

    cache.init_app(app)
    try:
        first = client.get("/legislators", headers={"Accept-Language": "es"})
        again = client.get("/legislators", headers={"Accept-Language": "en"})
        assert lang_of(first.get_data(as_text=True)) == "es"
        assert lang_of(again.get_data(as_text=True)) == "en"
    finally:
        app.config["CACHE_TYPE"] = "NullCache"
        cache.init_app(app)


def test_members_pages_vary_by_language_for_shared_caches(client: FlaskClient, app: Flask) -> None:
    vary = client.get("/", headers={"Accept-Language": "es"}).headers.get("Vary", "")
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in vary.split(",")}
    api = client.get("/api/v1/openapi.json").headers.get("Vary", "")
    assert "Accept-Language" not in api  # the API is English for everyone


def test_an_unknown_address_says_so_in_spanish(client: FlaskClient, app: Flask) -> None:
    page = client.get("/no-such-page?lang=es")
    assert page.status_code == 404
    text = page.get_data(as_text=True)
    assert "La dirección solicitada no se encontró en el servidor." in text
    assert "was not found on the server" not in text


def test_the_catalog_kept_for_a_request_follows_a_forced_language(app: Flask) -> None:
    """``i18n.catalog`` keeps the request's catalog; an email rendered in its
    subscriber's language inside a Spanish request (``i18n.speaking``) is in that
    language, in templates and in code, and the page goes on in Spanish after it."""
    from flask import render_template_string

    def both() -> tuple[str, str]:
        return i18n.gettext("Status"), render_template_string("{{ _('Status') }}")

    with app.test_request_context("/?lang=es"):
        assert both() == ("Estado", "Estado")
        with i18n.speaking("en"):
            assert both() == ("Status", "Status")
            with i18n.speaking("es"):
                assert both() == ("Estado", "Estado")
            assert both() == ("Status", "Status")
        assert both() == ("Estado", "Estado")
    with app.app_context(), app.test_request_context("/"):  # the next request: English
        assert both() == ("Status", "Status")
