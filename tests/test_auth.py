from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask, request
from flask.testing import FlaskClient

from tests.conftest import PASSWORD, AuthActions, csrf_token, dispose_engines_of, make_user
from tracker import accounts, create_app
from tracker.auth import views as auth_views
from tracker.auth.views import safe_next
from tracker.extensions import db, limiter
from tracker.models import AuditEvent, User
from tracker.settings import override


def test_login_and_logout(client: FlaskClient, auth: AuthActions, staff_user: User) -> None:
    response = auth.login()
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/"
    page = client.get("/staff/").get_data(as_text=True)
    assert "Signed in as staff@example.org (staff)" in page
    response = auth.logout()
    assert response.headers["Location"] == "/"
    assert client.get("/staff/").status_code == 302


def test_login_records_last_login(auth: AuthActions, staff_user: User) -> None:
    assert staff_user.last_login_at is None
    auth.login()
    db.session.expire_all()
    assert db.session.get(User, staff_user.id).last_login_at is not None


@pytest.mark.parametrize(
    ("email", "password"),
    [("staff@example.org", "wrong password!!"), ("nobody@example.org", PASSWORD)],
)
def test_wrong_credentials(
    client: FlaskClient, auth: AuthActions, staff_user: User, email: str, password: str
) -> None:
    response = auth.login(email, password)
    assert response.status_code == 200
    assert "That email and password do not match an account." in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302


def test_email_is_case_insensitive(auth: AuthActions, staff_user: User) -> None:
    assert auth.login("STAFF@Example.org").status_code == 302


def test_deactivated_user_cannot_sign_in(
    client: FlaskClient, auth: AuthActions, app: Flask
) -> None:
    make_user("gone@example.org", active=False)
    response = auth.login("gone@example.org")
    assert response.status_code == 200
    assert "This account has been deactivated" in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302


def test_deactivation_ends_existing_sessions(
    client: FlaskClient, auth: AuthActions, staff_user: User
) -> None:
    auth.login()
    assert client.get("/staff/").status_code == 200
    accounts.set_active(staff_user, False, actor="test")
    db.session.commit()
    assert client.get("/staff/").status_code == 302


def test_rate_limit_per_account(app: Flask, auth: AuthActions, staff_user: User) -> None:
    for _ in range(5):
        assert auth.login(password="wrong password!!").status_code == 200
    blocked = auth.login()  # even the right password is refused now
    assert blocked.status_code == 429
    assert "Too Many Requests" in blocked.get_data(as_text=True)


def test_a_stranger_cannot_lock_a_staff_member_out(
    app: Flask, staff_user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Wrong passwords for one account from other addresses slow that account's
    sign-in down; they never refuse the member of staff at their own address."""
    waits: list[float] = []
    monkeypatch.setattr(auth_views, "_sleep", waits.append)
    for index in range(8):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.0.0.{index}"
        assert AuthActions(client).login(password="wrong password!!").status_code == 200
    assert waits == [auth_views.SLOWDOWN_SECONDS] * 3  # the sixth guess on is slowed
    own = app.test_client()
    own.environ_base["REMOTE_ADDR"] = "10.0.0.99"
    assert AuthActions(own).login().status_code == 302
    assert waits == [auth_views.SLOWDOWN_SECONDS] * 4  # slowed, and signed in


def test_the_account_limit_is_per_address(
    app: Flask, staff_user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auth_views, "_sleep", lambda _seconds: None)
    guesser = app.test_client()
    guesser.environ_base["REMOTE_ADDR"] = "10.0.0.1"
    for _ in range(5):
        AuthActions(guesser).login(password="wrong password!!")
    assert AuthActions(guesser).login().status_code == 429
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.0.2"
    assert AuthActions(other).login().status_code == 302


def test_rate_limit_per_address_spans_accounts(
    client: FlaskClient, auth: AuthActions, app: Flask
) -> None:
    for index in range(20):
        assert auth.login(f"user{index}@example.org", "wrong password!!").status_code == 200
    make_user("fresh@example.org")
    blocked = auth.login("fresh@example.org")
    assert blocked.status_code == 429
    assert "20 attempts per 15 minutes" in blocked.get_data(as_text=True)


def test_forwarded_addresses_are_ignored_without_a_proxy(
    app: Flask, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """X-Forwarded-For is the client's own claim unless TRACKER_PROXY_COUNT says a
    proxy writes it: served over TLS with no proxy, forging it must not escape the
    per-address limits."""
    from tests.conftest import base_config

    monkeypatch.setattr(auth_views, "_sleep", lambda _seconds: None)
    tls = create_app(
        {**base_config(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path), "TRACKER_BEHIND_TLS": True}
    )
    try:
        with tls.app_context():
            limiter.reset()
            client = tls.test_client()
            client.environ_base["wsgi.url_scheme"] = "https"  # Secure cookies come back
            client.environ_base["HTTP_REFERER"] = "https://localhost/auth/login"  # CSRF
            for index in range(5):
                client.environ_base["HTTP_X_FORWARDED_FOR"] = f"192.0.2.{index}"
                assert (
                    AuthActions(client).login("nobody@example.org", "wrong password!!").status_code
                    == 200
                )
            client.environ_base["HTTP_X_FORWARDED_FOR"] = "192.0.2.200"
            assert AuthActions(client).login("nobody@example.org").status_code == 429
    finally:
        dispose_engines_of(tls)


def test_the_proxy_count_trusts_that_many_hops(tmp_path: Path, app: Flask) -> None:
    from tests.conftest import base_config

    config = base_config(app.config["SQLALCHEMY_DATABASE_URI"], tmp_path)
    seen: list[str | None] = []
    for count in (0, 1):
        proxied = create_app({**config, "TRACKER_PROXY_COUNT": count})
        proxied.add_url_rule(
            "/probe-address", "probe", lambda: seen.append(request.remote_addr) or "ok"
        )
        proxied.test_client().get(
            "/probe-address",
            environ_base={
                "REMOTE_ADDR": "127.0.0.1",
                "HTTP_X_FORWARDED_FOR": "203.0.113.7, 198.51.100.4",
            },
        )
        dispose_engines_of(proxied)
    assert seen == ["127.0.0.1", "198.51.100.4"]


def test_successful_logins_do_not_count(auth: AuthActions, staff_user: User) -> None:
    for _ in range(7):
        assert auth.login().status_code == 302
        auth.logout()


def test_csrf_is_required(client: FlaskClient, staff_user: User) -> None:
    response = client.post("/auth/login", data={"email": "staff@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302


def test_logout_needs_csrf(client: FlaskClient, auth: AuthActions, staff_user: User) -> None:
    auth.login()
    assert client.post("/auth/logout").status_code == 400
    assert client.get("/staff/").status_code == 200


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/admin/users", "/admin/users"),
        ("/staff/?page=2", "/staff/?page=2"),
        ("https://evil.example/", None),
        ("//evil.example/", None),
        ("/\\evil.example", None),
        ("javascript:alert(1)", None),
        ("http:/evil.example", None),
        ("", None),
    ],
)
def test_safe_next(target: str, expected: str | None) -> None:
    assert safe_next(target) == expected


def test_next_redirect_stays_on_site(auth: AuthActions, staff_user: User) -> None:
    response = auth.login(next_url="https://evil.example/")
    assert response.headers["Location"] == "/staff/"
    auth.logout()
    response = auth.login(next_url="/staff/")
    assert response.headers["Location"] == "/staff/"


def test_anonymous_is_sent_to_login(client: FlaskClient) -> None:
    for path in ("/staff/", "/admin/users", "/admin/audit"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/auth/login?next=")


def test_staff_cannot_reach_admin_pages(
    client: FlaskClient, auth: AuthActions, staff_user: User
) -> None:
    auth.login()
    for path in ("/admin/users", "/admin/audit"):
        assert client.get(path).status_code == 403
    token = csrf_token(client, "/staff/")
    response = client.post(
        f"/admin/users/{staff_user.id}/role", data={"role": "admin", "csrf_token": token}
    )
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(User, staff_user.id).role == "staff"


def test_password_reset_link_works_once(client: FlaskClient, staff_user: User) -> None:
    token = accounts.reset_token(staff_user, actor="test")
    db.session.commit()
    path = f"/auth/reset/{token}"
    form = {
        "password": "a brand new passphrase",
        "confirm": "a brand new passphrase",
        "csrf_token": csrf_token(client, path),
    }
    response = client.post(path, data=form)
    assert response.headers["Location"] == "/auth/login"
    again = client.get(path)
    assert again.status_code == 400
    assert "already been used" in again.get_data(as_text=True)
    assert AuthActions(client).login(password="a brand new passphrase").status_code == 302
    actions = [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions[-2:] == ["user.reset_link", "user.set_password"]


def test_reset_rejects_short_or_mismatched_passwords(client: FlaskClient, staff_user: User) -> None:
    token = accounts.reset_token(staff_user, actor="test")
    db.session.commit()
    path = f"/auth/reset/{token}"
    for password, confirm, message in [
        ("short", "short", "at least 12"),
        ("long enough pass", "different pass!", "differ"),
    ]:
        response = client.post(
            path,
            data={"password": password, "confirm": confirm, "csrf_token": csrf_token(client, path)},
        )
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert accounts.authenticate("staff@example.org", PASSWORD) is not None


@pytest.mark.parametrize("token", ["garbage", "a" * 300])
def test_forged_reset_tokens(client: FlaskClient, token: str) -> None:
    response = client.get(f"/auth/reset/{token}")
    assert response.status_code == 400
    assert "not valid" in response.get_data(as_text=True)


def test_expired_reset_token(app: Flask, client: FlaskClient, staff_user: User) -> None:
    token = accounts.reset_token(staff_user, actor="test")
    override(app, TRACKER_RESET_TOKEN_HOURS=-1)
    response = client.get(f"/auth/reset/{token}")
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)


def test_passwords_are_hashed_with_argon2id(staff_user: User) -> None:
    assert staff_user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in staff_user.password_hash


def test_production_hashes_with_the_library_defaults() -> None:
    """The suite hashes cheaply (tests/conftest.py); the app's own hasher keeps
    argon2id's defaults (RFC 9106 low-memory: 64 MiB, 3 passes)."""
    from argon2 import PasswordHasher, Type

    default = accounts.DEFAULT_HASHER
    assert default.type is Type.ID
    assert (default.time_cost, default.memory_cost) == (
        PasswordHasher().time_cost,
        PasswordHasher().memory_cost,
    )
    assert default.memory_cost >= 65536


def test_login_is_not_a_404_but_leads_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/login")
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    kept = client.get("/login?next=/staff/bills")
    assert kept.headers["Location"] == "/auth/login?next=/staff/bills"
    page = client.get("/login", follow_redirects=True).get_data(as_text=True)
    assert 'name="password"' in page


def test_the_lockout_page_says_the_limit_in_words(auth: AuthActions, staff_user: User) -> None:
    for _ in range(5):
        auth.login(password="wrong password!!")
    blocked = auth.login()
    assert blocked.status_code == 429
    page = blocked.get_data(as_text=True)
    assert "Too many attempts: the limit is 5 attempts per 15 minutes." in page
    assert "per 15 minute<" not in page and "5 per 15 minute" not in page


def test_private_pages_are_never_stored(
    app: Flask, client: FlaskClient, auth: AuthActions, admin_user: User
) -> None:
    from tests.test_hostile_input import build

    private = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in {"staff", "admin", "auth"}
        and "GET" in (rule.methods or set())
    ]
    assert len(private) > 15
    anonymous = app.test_client()
    auth.login("admin@example.org")
    for rule in private:
        url = build(app, rule)
        for who, browser in (("admin", client), ("anonymous", anonymous)):
            response = browser.get(url)
            assert response.status_code < 500, (who, url)
            assert response.headers.get("Cache-Control") == "no-store", (who, url)
            response.close()
    assert client.get("/staff/").status_code == 200  # signed in throughout
    sign_in = anonymous.get("/auth/login")
    assert sign_in.headers["Cache-Control"] == "no-store"
    token = csrf_token(anonymous, "/auth/login")
    failed = anonymous.post(
        "/auth/login", data={"email": "admin@example.org", "password": "wrong", "csrf_token": token}
    )
    assert failed.headers["Cache-Control"] == "no-store"
    assert auth.logout().headers["Cache-Control"] == "no-store"
    assert "no-store" not in anonymous.get("/legislators").headers.get("Cache-Control", "")
