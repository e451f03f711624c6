"""Sending mail over SMTP with smtplib, and saying what went wrong.

``TRACKER_SMTP_URL`` names the server::

    smtp://user:pass@host:587?starttls=1    plain connection upgraded with STARTTLS
    smtps://user:pass@host:465              TLS from the first byte
    smtp://127.0.0.1:1025                   a local relay (tests, development)

Query options: ``starttls=1``, ``timeout=<seconds>`` (default 20).  User and
password are percent-decoded.

Every failure is classified, so the outbox knows what it may do:

* ``transient`` — the server refused for now (4xx) or could not be reached;
  the message was certainly **not** accepted, so it may be tried again;
* ``permanent`` — the server refused for good (5xx); ``bounce`` is true when
  it refused the recipient address itself;
* ``in_doubt`` — the connection broke while the message itself was being
  handed over (inside DATA): it may have been accepted, so it is never resent.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from urllib.parse import parse_qs, unquote, urlsplit

DEFAULT_TIMEOUT = 20.0
IDLE_CHECK_SECONDS = 20.0
TRUE = ("1", "true", "yes", "on")


class MailConfigError(ValueError):
    """``TRACKER_SMTP_URL`` cannot be used."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    ssl: bool = False
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    timeout: float = DEFAULT_TIMEOUT

    def describe(self) -> str:
        """The server without the password, for logs and pages."""
        user = f"{self.username}@" if self.username else ""
        mode = "smtps" if self.ssl else "smtp"
        tls = "?starttls=1" if self.starttls else ""
        return f"{mode}://{user}{self.host}:{self.port}{tls}"


def parse_smtp_url(url: str | None) -> SmtpSettings:
    """Read ``TRACKER_SMTP_URL``; raises MailConfigError naming the problem."""
    if not url or not url.strip():
        raise MailConfigError("TRACKER_SMTP_URL is not set; no mail can be sent")
    parts = urlsplit(url.strip())
    if parts.scheme not in ("smtp", "smtps"):
        raise MailConfigError(
            f"TRACKER_SMTP_URL must start with smtp:// or smtps://, not {parts.scheme or '?'}://"
        )
    if not parts.hostname:
        raise MailConfigError("TRACKER_SMTP_URL has no host name")
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
    except ValueError:
        raise MailConfigError("TRACKER_SMTP_URL has a port that is not a number") from None
    options = {k.lower(): v[-1] for k, v in parse_qs(parts.query).items()}
    starttls = options.get("starttls", "").lower() in TRUE
    if starttls and parts.scheme == "smtps":
        raise MailConfigError("TRACKER_SMTP_URL: smtps:// is already TLS; drop starttls=1")
    timeout = DEFAULT_TIMEOUT
    if "timeout" in options:
        try:
            timeout = float(options["timeout"])
        except ValueError:
            raise MailConfigError("TRACKER_SMTP_URL: timeout must be a number of seconds") from None
        if not 0 < timeout <= 600:
            raise MailConfigError("TRACKER_SMTP_URL: timeout must be between 0 and 600 seconds")
    return SmtpSettings(
        host=parts.hostname,
        port=port,
        ssl=parts.scheme == "smtps",
        starttls=starttls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        timeout=timeout,
    )


@dataclass(frozen=True)
class SendResult:
    ok: bool
    kind: str = "sent"  # sent, transient, permanent, in_doubt
    error: str = ""
    bounce: bool = False


class SmtpUnavailable(RuntimeError):
    """The server could not be reached or refused us (login, TLS): nothing was sent."""


class Mailer:
    """One SMTP connection, reused for many messages; reconnects when the
    server drops an idle connection between messages."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self.conn: smtplib.SMTP | None = None
        self.last_used = 0.0
        self.dirty = False  # a transaction was left half-done: RSET before the next

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def connect(self) -> smtplib.SMTP:
        s = self.settings
        try:
            if s.ssl:
                conn: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=s.timeout, context=ssl.create_default_context()
                )
            else:
                conn = smtplib.SMTP(s.host, s.port, timeout=s.timeout)
            conn.ehlo()
            if s.starttls:
                conn.starttls(context=ssl.create_default_context())
                conn.ehlo()
            if s.username:
                conn.login(s.username, s.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            raise SmtpUnavailable(f"the mail server refused the login ({exc.smtp_code})") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise SmtpUnavailable(f"cannot reach the mail server {s.describe()}: {exc}") from None
        self.conn = conn
        return conn

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.quit()
            except (OSError, smtplib.SMTPException):
                self.conn.close()
            self.conn = None

    def _alive(self) -> smtplib.SMTP:
        if self.conn is not None:
            if time.monotonic() - self.last_used < IDLE_CHECK_SECONDS:
                return self.conn
            try:
                if self.conn.noop()[0] == 250:
                    return self.conn
            except (OSError, smtplib.SMTPException):
                pass
            self.conn.close()
            self.conn = None
        return self.connect()

    def send(self, message: EmailMessage, sender: str, recipient: str) -> SendResult:
        """Hand one message to the server.  Raises SmtpUnavailable when no
        connection can be made (nothing was sent); otherwise classifies."""
        conn = self._alive()
        self.last_used = time.monotonic()
        try:
            if self.dirty:
                conn.rset()
            self.dirty = True
            code, reply = conn.mail(sender)
            if code != 250:
                return _refused(code, reply, "sender")
            code, reply = conn.rcpt(recipient)
            if code not in (250, 251):
                return _refused(code, reply, "recipient")
        except (OSError, smtplib.SMTPException) as exc:
            # Before DATA: the message was certainly not accepted.
            self._drop()
            return SendResult(False, "transient", f"connection lost before sending: {exc}")
        try:
            code, reply = conn.data(message.as_bytes(policy=SMTP_POLICY))
        except smtplib.SMTPResponseException as exc:
            # The server answered "no" to DATA or after the content: not accepted.
            return _refused(exc.smtp_code, exc.smtp_error, "message")
        except (OSError, smtplib.SMTPException) as exc:
            self._drop()
            return SendResult(
                False, "in_doubt", f"connection lost while handing over the message: {exc}"
            )
        if code != 250:  # smtplib returns the final reply without raising
            return _refused(code, reply, "message")
        self.dirty = False
        self.last_used = time.monotonic()
        return SendResult(True)

    def _drop(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def _refused(code: int, reply: bytes | str, what: str) -> SendResult:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    error = f"the server refused the {what}: {code} {text}".strip()
    if 400 <= code < 500:
        return SendResult(False, "transient", error)
    return SendResult(False, "permanent", error, bounce=what == "recipient")
