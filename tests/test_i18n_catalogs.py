"""The catalogs (tracker/translations): the template holds every string the code
marks, Spanish translates all of it, Hmong and Somali translate part of it (marked
for review), every translation keeps its placeholders, and labels other modules
define (vocabulary, committee roles, follow frequencies) are in the catalogs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from scrapers.vocab import BILL_STATUS_NAMES, CHAMBER_NAMES, PARTY_NAMES
from tracker import i18n
from tracker.committees import ROLE_NAMES, SOURCE_NAMES
from tracker.follows import FREQUENCY_WORDS

pytestmark = pytest.mark.nodb  # no database: the sqlite part of make test runs these

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = i18n.TRANSLATIONS / "messages.pot"


def catalog(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def translated(path: Path, locale: str) -> dict[str, object]:
    return {
        m.id: m.string
        for m in catalog(path, locale)
        if m.id and not m.fuzzy and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }


def ids(found: Catalog) -> set[object]:
    return {m.id for m in found if m.id}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """The strings the code marks today, extracted as ``make translations`` does."""
    out = tmp_path_factory.mktemp("pot") / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [
            str(pybabel),
            "--quiet",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "N_",
            "-k",
            "lazy_gettext",
            "-o",
            str(out),
            ".",
        ],
        cwd=ROOT,
        check=True,
        timeout=120,
    )
    return catalog(out)


def test_the_template_holds_every_marked_string(extracted: Catalog) -> None:
    missing = ids(extracted) - ids(catalog(TEMPLATE))
    stale = ids(catalog(TEMPLATE)) - ids(extracted)
    assert (missing, stale) == (set(), set()), "run: make translations"


def test_spanish_translates_every_string(extracted: Catalog) -> None:
    spanish = translated(i18n.TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po", "es")
    untranslated = sorted(str(m) for m in ids(extracted) - set(spanish))
    assert untranslated == []


@pytest.mark.parametrize("code", ["mww", "so"])
def test_the_partial_catalogs_translate_part_and_say_they_await_review(code: str) -> None:
    po = i18n.TRANSLATIONS / code / "LC_MESSAGES" / "messages.po"
    done = translated(po, code)
    assert 30 <= len(done) < len(ids(catalog(TEMPLATE)))
    assert set(done) <= ids(catalog(TEMPLATE))
    assert "review" in po.read_text(encoding="utf-8").split("msgid", 1)[0].lower()
    assert not next(lang for lang in i18n.LANGUAGES if lang.babel == code).reviewed


@pytest.mark.parametrize("code", ["es", "mww", "so"])
def test_every_translation_keeps_its_placeholders(code: str) -> None:
    found = catalog(i18n.TRANSLATIONS / code / "LC_MESSAGES" / "messages.po", code)
    problems = [
        (message.id, str(error))
        for message in found
        if message.id
        for error in message.check(found)
    ]
    assert problems == []


def test_labels_defined_elsewhere_are_in_the_catalogs() -> None:
    from werkzeug import exceptions

    errors = (
        exceptions.BadRequest,
        exceptions.NotFound,
        exceptions.MethodNotAllowed,
        exceptions.Conflict,
        exceptions.Gone,
        exceptions.RequestEntityTooLarge,
        exceptions.TooManyRequests,
        exceptions.InternalServerError,
        exceptions.ServiceUnavailable,
    )
    assert {e.description for e in errors} | {e().name for e in errors} <= ids(catalog(TEMPLATE))
    labels = {
        *CHAMBER_NAMES.values(),
        *BILL_STATUS_NAMES.values(),
        *PARTY_NAMES.values(),
        *ROLE_NAMES.values(),
        *SOURCE_NAMES.values(),
        *FREQUENCY_WORDS.values(),
    }
    assert labels - ids(catalog(TEMPLATE)) == set()


def test_no_string_is_marked_inside_an_f_string() -> None:
    """pybabel does not look inside f-strings: a ``gettext("...")`` there is never
    extracted, and a string that moved into one drops out of every catalog (the
    scored votes' hints did).  Mark strings outside f-strings."""
    import io
    import re
    import tokenize

    call = re.compile(r"\b(?:gettext|ngettext|lazy_gettext|N_|_)\(\s*['\"]")
    found = []
    for path in sorted((ROOT / "tracker").rglob("*.py")):
        tokens = tokenize.generate_tokens(io.StringIO(path.read_text()).readline)
        for token in tokens:
            prefix = token.string[:2].lower()
            if token.type == tokenize.STRING and "f" in prefix and call.search(token.string):
                found.append(f"{path.relative_to(ROOT)}:{token.start[0]}")
    assert found == []
