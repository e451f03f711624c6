"""Action alerts and follows in the member's language (tracker.i18n): the take-action
pages, an alert's page (with the alert's Spanish title and call script staff wrote),
sign-up, confirmation and unsubscribing, the follow pages, and the emails, written in
the language the subscriber signed up in (``Subscriber.language``); English unchanged
otherwise."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from tests.conftest import csrf_token
from tests.test_follows import a_vote, new_roll_call, next_end, queued, what_bill
from tests.test_pressure import published_alert, world
from tests.test_subscriptions import mail_works
from tracker import alerts, follows
from tracker.extensions import db
from tracker.models import Alert, OutboxMessage, Subscriber
from tracker.models.common import utcnow
from tracker.settings import override

SPANISH = {
    "es": {
        "title": "Llame a su senador: vote SÍ",
        "summary": "Alerta de prueba inventada.",
        "call_script": "Pida a {legislator} del distrito {district} que vote SÍ sobre {bill}.",
        "email_template": "Estimado/a {legislator}:\n\nLe escribo sobre {bill}.",
    }
}
ALERT_LINK = re.compile(r"http://localhost/alerts/(confirm|unsubscribe)/(\S+)")
FOLLOW_LINK = re.compile(r"http://localhost/follow/(confirm|manage|stop|stop-all)/(\S+)")


@pytest.fixture(autouse=True)
def _demo(demo_no_alerts: None, app: Flask) -> None:
    """The demo legislature without its alert; links on http://localhost."""
    override(app, TRACKER_PUBLIC_URL="http://localhost")


def spanish_alert() -> Alert:
    """A published Senate alert whose title, summary and call script staff also wrote
    in Spanish."""
    return published_alert(world()["bill"], translations=SPANISH)


def text(response: Any) -> str:
    return str(response.get_data(as_text=True))


def latest(email: str, kind: str) -> OutboxMessage:
    message = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.to_email == email, OutboxMessage.kind == kind)
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert message is not None
    return message


def subscriber(email: str, *, senate: str, language: str) -> Subscriber:
    """A confirmed alert subscriber of Senate district ``senate``."""
    alerts.subscribe(email, None, senate, language=language)
    found = db.session.scalars(select(Subscriber).where(Subscriber.email == email)).one()
    alerts.confirm(found, None, senate)
    db.session.commit()
    return found


# ---------------------------------------------------------------- pages


def test_take_action_pages_in_spanish(client: FlaskClient) -> None:
    alert = spanish_alert()
    listing = text(client.get("/alerts?lang=es"))
    assert "Alertas abiertas" in listing and "Antes de una votación que calificamos" in listing
    assert "Llame a su senador: vote SÍ" in listing  # the alert's Spanish title
    assert "Reciba alertas por correo electrónico" in listing
    assert "Open alerts" not in listing

    district = alert.targets[0].district
    person = alert.targets[0].person
    page = text(client.get(f"/alerts/{alert.public_id}?district={district}&lang=es"))
    assert "Llame a su senador: vote SÍ" in page and "Alerta de prueba inventada." in page
    # the Spanish email staff wrote, its placeholders filled in
    assert f"Estimado/a {person.name}:\n\nLe escribo sobre {alert.bill.label}." in page
    assert "Pedimos a cada miembro del Senado que" in page
    assert "¿Ya lo hizo? Díganos (es anónimo: solo lo contamos)." in page
    assert f"Llamé a {person.name}" in page and f"Le escribí a {person.name}" in page
    assert "Informe de presión" in page and "Cómo se cuentan las acciones" in page
    assert "Pressure report" not in page and "I called" not in page

    # English without ?lang (the cookie says English again)
    english = text(client.get(f"/alerts/{alert.public_id}?district={district}&lang=en"))
    assert "Call your senator: vote YES" in english and "Invented test alert." in english
    assert f"Dear {person.name},\n\nPlease vote YES on" in english
    assert "We ask Senate members to <strong>vote YES</strong>." in english
    assert f"I called {person.name}" in english and "Pressure report" in english
    assert "Informe de presión" not in english
    assert "Open alerts" in text(client.get("/alerts"))


def test_problems_on_an_alert_page_are_in_spanish(client: FlaskClient) -> None:
    alert = spanish_alert()
    page = client.get(f"/alerts/{alert.public_id}?person=nobody&lang=es")
    assert "Esta alerta no se dirige a ese legislador." in text(page)
    missing = client.get("/alerts/no-such-alert?lang=es")
    assert missing.status_code == 404
    assert "No existe esa alerta de acción" in text(missing)


def test_sign_up_confirm_and_unsubscribe_in_spanish(app: Flask, client: FlaskClient) -> None:
    mail_works(app)
    form = text(client.get("/alerts/subscribe?lang=es"))  # the choice is remembered
    assert "Reciba alertas de acción por correo electrónico" in form
    assert "Dirección (opcional)" in form and "Inscribirse" in form
    response = client.post(
        "/alerts/subscribe",
        data={
            "email": "miembro@example.org",
            "district": "3A",
            "csrf_token": csrf_token(client, "/alerts/subscribe"),
        },
    )
    assert response.status_code == 200 and "Revise su bandeja de entrada" in text(response)
    found = db.session.scalars(select(Subscriber)).one()
    assert found.language == "es"  # recorded from the page's language
    message = latest("miembro@example.org", "confirm")
    assert message.body.startswith("Hola:")
    assert 'Para confirmar, abra este enlace y presione "Confirmar"' in message.body
    assert "distrito 3A de la Cámara y el distrito 3 del Senado" in message.body
    links = {kind: f"/alerts/{kind}/{token}" for kind, token in ALERT_LINK.findall(message.body)}

    confirm = text(client.get(links["confirm"]))
    assert "Confirme sus alertas" in confirm and "<strong>miembro@example.org</strong>" in confirm
    done = client.post(links["confirm"], data={"csrf_token": csrf_token(client, links["confirm"])})
    assert "Quedó suscrito" in text(done)
    assert "Recibirá alertas de acción para el distrito 3A de la Cámara" in text(done)

    assert "¿Dejar de enviar todos los correos" in text(client.get(links["unsubscribe"]))
    gone = client.post(links["unsubscribe"])
    assert "Suscripción cancelada" in text(gone) and "No recibirá más correos" in text(gone)


def test_english_sign_up_stays_english(app: Flask, client: FlaskClient) -> None:
    mail_works(app)
    assert "Get action alerts by email" in text(client.get("/alerts/subscribe"))
    response = client.post(
        "/alerts/subscribe",
        data={
            "email": "member@example.org",
            "district": "3A",
            "csrf_token": csrf_token(client, "/alerts/subscribe"),
        },
    )
    assert "Check your inbox" in text(response)
    assert db.session.scalars(select(Subscriber)).one().language == "en"
    body = latest("member@example.org", "confirm").body
    assert body.startswith("Hello,") and "House district 3A and Senate district 3." in body


# ---------------------------------------------------------------- alert emails


def test_alert_and_follow_up_emails_in_the_subscribers_language(app: Flask) -> None:
    w = world()
    alert = spanish_alert()
    district = alert.targets[0].district
    person = alert.targets[0].person
    subscriber("lectora@example.org", senate=district, language="es")
    subscriber("reader@example.org", senate=district, language="en")
    alerts.queue_alert_messages(alert)
    db.session.commit()

    spanish = latest("lectora@example.org", "alert")
    assert spanish.subject == "Alerta de acción: Llame a su senador: vote SÍ"
    assert spanish.body.startswith("Llame a su senador: vote SÍ")
    assert f"El Senado ya votó sobre {alert.bill.label}" in spanish.body  # (tracker.asks)
    assert f"llame o escriba a {person.name} (" in spanish.body and "Qué decir:" in spanish.body
    assert f"Pida a {person.name} del distrito {district} que vote SÍ" in spanish.body
    assert (
        "Cancele la suscripción con un clic: http://localhost/alerts/unsubscribe/" in spanish.body
    )
    english = latest("reader@example.org", "alert")
    assert english.subject == "Action alert: Call your senator: vote YES"
    assert "What to say:" in english.body and "Qué decir:" not in english.body
    assert f"The Senate has already voted on {alert.bill.label}" in english.body

    # the follow-up once the vote is verified
    alerts.link_roll_call(alert, w["rc"], actor="test")
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.kind == "alert").values(status="sent")
    )
    db.session.commit()
    alerts.queue_followups(alert)
    db.session.commit()
    spanish = latest("lectora@example.org", "followup").body
    assert spanish.startswith(f"Cómo votó {person.name} sobre")
    assert "La votación: " in spanish and "Qué efecto tiene en la puntuación:" in spanish
    english = latest("reader@example.org", "followup").body
    assert english.startswith(f"How {person.name} voted on") and "The vote: " in english


# ---------------------------------------------------------------- follows


def follow_links(email: str) -> dict[str, str]:
    message = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.to_email == email)
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert message is not None
    return {kind: f"/follow/{kind}/{token}" for kind, token in FOLLOW_LINK.findall(message.body)}


def test_follow_pages_and_emails_in_spanish(app: Flask, client: FlaskClient) -> None:
    mail_works(app)
    rc, bill, person, option = a_vote()
    start = text(client.get(f"/follow?what={what_bill(bill)}&lang=es"))
    assert f"Siga {bill.label} (2025-2026) por correo electrónico" in start
    assert "Con qué frecuencia" in start and "Resumen diario" in start
    posted = client.post(
        "/follow",
        data={"what": what_bill(bill), "email": "sigue@example.org", "frequency": "daily"},
    )
    assert "Revise su bandeja de entrada" in text(posted)
    follower = db.session.scalars(select(Subscriber)).one()
    assert follower.language == "es" and follows.export(follower)["language"] == "es"
    confirm_mail = latest("sigue@example.org", "confirm")
    assert confirm_mail.subject.startswith(f"Confirme: seguir {bill.label}")
    assert "Deje de seguir todo lo que sigue esta dirección:" in confirm_mail.body

    links = follow_links("sigue@example.org")
    assert "Confirme: seguir" in text(client.get(links["confirm"]))
    done = client.post(links["confirm"], data={"csrf_token": csrf_token(client, links["confirm"])})
    assert "Ya está siguiendo" in text(done)
    manage = text(client.get(links["manage"]))
    assert "Lo que usted sigue" in manage and "Dejar de seguir todo" in manage
    assert "¿Dejar de recibir los correos sobre" in text(client.get(links["stop"]))

    # a district follow of an English reader, for comparison
    client.get("/follow?lang=en")
    client.post(
        "/follow", data={"what": "district:3A", "email": "reader@example.org", "frequency": "daily"}
    )
    english = latest("reader@example.org", "confirm")
    assert english.subject.startswith("Confirm: follow House district 3A")
    reader = follow_links("reader@example.org")
    client.post(reader["confirm"], data={"csrf_token": csrf_token(client, reader["confirm"])})

    # the daily digest after a new vote, in each reader's language
    t0 = utcnow()
    follows.run(t0)
    new_roll_call(rc)
    t1 = t0 + dt.timedelta(minutes=5)
    follows.run(t1)
    day = next_end("daily", t1)
    follows.run(follows.period_bounds("daily", day)[1] + dt.timedelta(minutes=30))
    [digest] = queued("digest", "sigue@example.org")
    assert digest.subject.startswith("Su resumen diario:")
    assert "lo que pasó en el día hasta las" in digest.body
    assert f"Votación en el pleno del Senado sobre {bill.label}" in digest.body
    assert "porque sigue estos temas con esta dirección." in digest.body
    assert "Senate floor vote" not in digest.body


def test_follow_emails_as_it_happens_in_each_language(app: Flask, client: FlaskClient) -> None:
    mail_works(app)
    rc, bill, person, option = a_vote()
    for email, lang in (("sigue@example.org", "es"), ("follows@example.org", "en")):
        client.get(f"/follow?lang={lang}")
        client.post(
            "/follow",
            data={
                "what": f"legislator:{person.public_id}",
                "email": email,
                "frequency": "immediate",
            },
        )
        path = follow_links(email)["confirm"]
        client.post(path, data={"csrf_token": csrf_token(client, path)})
    t0 = utcnow()
    follows.run(t0)
    new_roll_call(rc)
    follows.run(t0 + dt.timedelta(minutes=5))
    [spanish] = queued("event", "sigue@example.org")
    voted = {"yes": "votó sí", "no": "votó no"}[option]
    assert spanish.subject == f"Sen. {person.name} {voted} sobre {bill.label}"
    assert "; nuestra posición: " in spanish.body
    assert f"porque sigue {person.name} (al momento)" in spanish.body
    [english] = queued("event", "follows@example.org")
    assert english.subject == f"Sen. {person.name} voted {option} on {bill.label}"
    assert "; our position: " in english.body and "(as it happens)" in english.body
