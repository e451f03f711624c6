"""The members' scorecard pages in Spanish (?lang=es) and English (the default): a
scorecard, its methodology and a legislator's page say their own words in the
page's language; names and the official record's data stay as they are."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tracker import snapshots
from tracker.extensions import db
from tracker.models import Scorecard


@pytest.fixture
def card(app: Flask, demo_full: None) -> Scorecard:
    return db.session.scalars(select(Scorecard).order_by(Scorecard.id.desc())).first()


def page(client: FlaskClient, path: str) -> str:
    """The page as a fresh visitor sees it (no language remembered from before)."""
    client.delete_cookie("lang")
    response = client.get(path)
    assert response.status_code == 200, path
    return re.sub(r"\s+", " ", response.get_data(as_text=True))


def test_the_scorecard_page_in_spanish_and_english(client: FlaskClient, card: Scorecard) -> None:
    view = snapshots.published(card.public_id)
    spanish = page(client, f"/scorecards/{card.public_id}?lang=es")
    for words in (
        "Cómo se calculan las puntuaciones",
        "Medianas",
        "Ordenar por",
        "Los votos evaluados",
        "Proyecto de ley",
        "Nuestra posición",
        "Hoja de cálculo (CSV, una fila por legislador)",
        "PDF listo para imprimir",
        "Inserte esta tarjeta de puntuación en su sitio web",
        f"{len(view.rows)} legisladores",
    ):
        assert words in spanish, words
    for english in (
        "How scores are calculated",
        "Sort by",
        "The scored votes",
        "Print-ready PDF",
        "Spreadsheet (CSV",
        "(key vote)",
    ):
        assert english not in spanish, english
    assert view.version.title in spanish  # the staff's title as written
    grid = page(client, f"/scorecards/{card.public_id}?show=grid&lang=es")
    assert "votó con nuestra posición" in grid and "en blanco: " in grid
    assert "voted with our position" not in grid

    english = page(client, f"/scorecards/{card.public_id}")
    for words in (
        "How scores are calculated",
        "Medians",
        "Sort by",
        "The scored votes",
        "Print-ready PDF",
        f"{len(view.rows)} legislators",
    ):
        assert words in english, words
    assert "Cómo se calculan" not in english


def test_the_scorecards_list_in_spanish(client: FlaskClient, card: Scorecard) -> None:
    spanish = page(client, "/scorecards?lang=es")
    assert "Tarjetas de puntuación" in spanish and "votos evaluados" in spanish
    assert "metodología" in spanish and "scored votes" not in spanish
    english = page(client, "/scorecards")
    assert "scored votes" in english and ">methodology<" in english


def test_the_methodology_page_in_spanish_and_english(client: FlaskClient, card: Scorecard) -> None:
    path = f"/scorecards/{card.public_id}/methodology"
    spanish = page(client, path + "?lang=es")
    for words in (
        "Qué parte del registro está verificada",
        "Participación mínima",
        "Pesos y votos clave",
        "Redondeo",
        "(voto clave)",
        "Versiones y correcciones",
        "votaciones nominales verificadas (100.0%)",
    ):
        assert words in spanish, words
    for english in (
        "How much of the record is verified",
        "Minimum participation",
        "Weights and key votes",
        "roll calls verified",
        "(key vote)",
        "First published version.",
        "the source records",
    ):
        assert english not in spanish, english
    assert re.search(r": la fuente (no )?registra", spanish)  # excused absences per chamber
    assert '<strong id="min-participation">' in spanish  # the figure scripts read

    english = page(client, path)
    for words in (
        "How much of the record is verified",
        "Minimum participation",
        "House: the source records",
        "(key vote)",
    ):
        assert words in english, words
    assert "Participación mínima" not in english


def test_the_legislator_page_in_spanish_and_english(client: FlaskClient, card: Scorecard) -> None:
    view = snapshots.published(card.public_id)
    row = next(r for r in view.rows if r.display is not None)
    path = f"/legislators/{row.person.public_id}"
    spanish = page(client, path + "?lang=es")
    for words in (
        "Descargar",
        "Imagen para compartir (PNG, 1200×630)",
        "PDF de una página",
        "Tarjeta de puntuación completa:",
        "Cómo se calculan las puntuaciones",
        "Votos evaluados",
        "Períodos en el cargo",
        "Canales:",
    ):
        assert words in spanish, words
    for english in (
        "Share image",
        "One-page PDF",
        "Whole scorecard:",
        "Scored votes",
        "How scores are calculated",
        "Feeds:",
    ):
        assert english not in spanish, english
    assert row.person.name in spanish

    english = page(client, path)
    for words in ("Download", "Share image (PNG, 1200×630)", "One-page PDF", "Scored votes"):
        assert words in english, words
    assert "Descargar" not in english


def test_an_unknown_scorecard_says_so_in_spanish(client: FlaskClient, app: Flask) -> None:
    spanish = client.get("/scorecards/nope/methodology?lang=es")
    assert spanish.status_code == 404
    assert "No existe esa tarjeta de puntuación publicada." in spanish.get_data(as_text=True)
