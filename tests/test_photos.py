from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from tracker.extensions import db
from tracker.models import Person

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def test_stored_photo_is_served(app: Flask, client: FlaskClient) -> None:
    person = Person(name="Invented Person", photo_path="p.png")
    db.session.add(person)
    db.session.commit()
    folder = Path(app.instance_path) / "photos"
    folder.mkdir(parents=True)
    (folder / "p.png").write_bytes(PNG)
    with client.get(f"/legislators/{person.public_id}/photo") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/png"
        assert response.data == PNG
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_placeholder_when_no_photo(app: Flask, client: FlaskClient) -> None:
    person = Person(name="Invented Person", photo_path="missing.jpg")
    db.session.add(person)
    db.session.commit()
    with client.get(f"/legislators/{person.public_id}/photo") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/svg+xml"
        assert b'aria-label="No photo available"' in response.data


def test_unknown_person_photo_is_404(client: FlaskClient) -> None:
    response = client.get("/legislators/not-a-person/photo")
    assert response.status_code == 404


def test_api_points_at_the_served_photo(app: Flask, client: FlaskClient) -> None:
    person = Person(name="Invented Person", photo_url="https://www.senate.mn/img/x.jpg")
    db.session.add(person)
    db.session.commit()
    document = client.get(f"/api/v1/legislators/{person.public_id}").get_json()
    assert document["photo"] == f"http://localhost/legislators/{person.public_id}/photo"
    assert document["photo_source_url"] == "https://www.senate.mn/img/x.jpg"
