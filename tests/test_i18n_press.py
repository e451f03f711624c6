"""The press kit in the reader's language (tracker.i18n): the scorecard PDF, the
legislator one-pager, the district maps, the charts and the share images come in
Spanish with ``?lang=es`` and stay as they were in English; each language is
cached on its own.  The bill, committee and embed pages speak Spanish too."""

from __future__ import annotations

import io
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from tracker import charts, snapshots
from tracker.exports import cache, export_data
from tracker.exports.pdf import scorecard_pdf
from tracker.extensions import db
from tracker.models import Bill, Committee, Person, Scorecard

from .test_press_kit import outside


@pytest.fixture
def loaded(app: Flask, demo_full: None) -> None:
    pass


def latest_card() -> Scorecard:
    return db.session.scalars(select(Scorecard).order_by(Scorecard.id.desc())).first()


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_scorecard_pdf_in_spanish_and_english_unchanged(
    client: FlaskClient, loaded: None
) -> None:
    card = latest_card()
    path = f"/scorecards/{card.public_id}/scorecard.pdf"
    english = client.get(path)
    spanish = client.get(path + "?lang=es")
    assert english.status_code == spanish.status_code == 200
    # English as it always was: what the exporter writes outside any request
    snap = snapshots.published(card.public_id)
    assert pdf_text(english.data) == pdf_text(scorecard_pdf(export_data(snap, with_maps=True)))
    text, texto = flat(pdf_text(english.data)), flat(pdf_text(spanish.data))
    for words in (
        "How scores are calculated",
        "The scored votes",
        "Version 1",
        "Score distribution by party",
        "vote by vote",
    ):
        assert words in text and words not in texto
    for palabras in (
        "Cómo se calculan las puntuaciones",
        "Los votos evaluados",
        "Versión 1",
        "Distribución de las puntuaciones por partido",
        "voto por voto",
        "Página 1 de",
        "Nuestra posición:",
        "Asistencia",
    ):
        assert palabras in texto and palabras not in text
    # names, bill numbers and titles stay as the record has them
    assert "Åkerlund-Vale" in texto
    assert outside(spanish.data) == []
    # Spanish was not served the English file
    assert spanish.headers["Vary"] and "Accept-Language" in spanish.headers["Vary"]


def test_the_one_pager_in_spanish(client: FlaskClient, loaded: None) -> None:
    person = db.session.scalar(select(Person).where(Person.family_name == "Åkerlund-Vale"))
    path = f"/legislators/{person.public_id}/scorecard.pdf"
    english = flat(pdf_text(client.get(path).data))
    spanish = client.get(path + "?lang=es").data
    texto = flat(pdf_text(spanish))
    assert "Voted on" in english and "Votó en" in texto and "Voted on" not in texto
    assert "Puntuación en" in texto and "Score on" in english
    assert len(PdfReader(io.BytesIO(spanish)).pages) == 1 and outside(spanish) == []


def test_the_map_legend_in_spanish(client: FlaskClient, loaded: None) -> None:
    card = latest_card()
    chamber = next(r.chamber for r in snapshots.published(card.public_id).rows)
    path = f"/scorecards/{card.public_id}/map.svg?chamber={chamber}"
    english = client.get(path).get_data(as_text=True)
    spanish = client.get(path + "&lang=es").get_data(as_text=True)
    assert ">not enough votes for a score</text>" in english
    assert ">no legislator on this scorecard</text>" in english
    assert ">no hay suficientes votos para una puntuación</text>" in spanish
    assert ">ningún legislador en esta tarjeta de puntuación</text>" in spanish
    assert "not enough votes" not in spanish
    assert (
        "distritos de la Cámara por puntuación" in spanish
        or "distritos del Senado por puntuación" in spanish
    )
    assert re.search(r"<title>Distrito \w+: ", spanish)
    # the scorecard page's own maps follow the page
    page = client.get(f"/scorecards/{card.public_id}?lang=es").get_data(as_text=True)
    assert "no hay suficientes votos para una puntuación" in page


def test_share_images_are_cached_per_language(client: FlaskClient, loaded: None) -> None:
    card = latest_card()
    path = f"/scorecards/{card.public_id}/share.png"
    before = dict(cache.stats)
    english = client.get(path).data
    spanish = client.get(path + "?lang=es").data
    assert cache.stats["misses"] == before["misses"] + 2  # each language built once
    assert english != spanish
    assert client.get(path + "?lang=es").data == spanish
    assert client.get(path + "?lang=en").data == english
    assert cache.stats["hits"] == before["hits"] + 2  # then each served from its own file
    files = {p.name for p in cache.folder().rglob("*share.png")}
    assert f"{card.public_id}-v1-share.png" in files
    assert f"{card.public_id}-v1-es-share.png" in files
    # a legislator's card too
    person = db.session.scalar(select(Person).where(Person.family_name == "Åkerlund-Vale"))
    mine = f"/legislators/{person.public_id}/share.png"
    assert client.get(mine + "?lang=es").data != client.get(mine + "?lang=en").data


def test_chart_labels_follow_the_request(app: Flask) -> None:
    # a fresh app context per request: the language is remembered in it
    with (
        app.app_context(),
        app.test_request_context("/scorecards/x/charts/distribution.svg?lang=es"),
    ):
        axes = charts.distribution_figure({"DFL": [55, 80]}, title="T").axes[0]
        assert axes.get_xlabel() == "Puntuación" and axes.get_ylabel() == "Legisladores"
    with app.app_context(), app.test_request_context("/scorecards/x/charts/distribution.svg"):
        axes = charts.distribution_figure({"DFL": [55, 80]}, title="T").axes[0]
        assert axes.get_xlabel() == "Score" and axes.get_ylabel() == "Legislators"


def test_bill_committee_and_embed_pages_in_spanish(client: FlaskClient, loaded: None) -> None:
    bill = db.session.scalars(select(Bill).order_by(Bill.id)).first()
    page = client.get(f"/bills/{bill.session.identifier}/{bill.key}?lang=es").get_data(as_text=True)
    assert '<html lang="es">' in page
    assert ">Autores</h2>" in page and ">Acciones</h2>" in page
    assert "Proyectos de ley" in client.get("/bills?lang=es").get_data(as_text=True)
    committee = db.session.scalars(select(Committee).order_by(Committee.id)).first()
    if committee is not None:
        page = client.get(f"/committees/{committee.public_id}?lang=es").get_data(as_text=True)
        assert ">Miembros</h2>" in page
        assert "Comités" in client.get("/committees?lang=es").get_data(as_text=True)
    card = latest_card()
    embed = client.get(f"/embed/scorecards/{card.public_id}?lang=es").get_data(as_text=True)
    assert '<html lang="es">' in embed and "Versión 1, publicada el" in embed
    missing = client.get("/bills/2025-2026/HF99999?lang=es").get_data(as_text=True)
    assert "No hay HF 99999 en la sesión" in missing
    # English as before
    page = client.get(f"/bills/{bill.session.identifier}/{bill.key}?lang=en").get_data(as_text=True)
    assert ">Authors</h2>" in page and ">Actions</h2>" in page
