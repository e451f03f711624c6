"""Staff accounts: creation, roles, passwords and one-time reset links.

Views and CLI commands call these functions; each change is audited.
"""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from email_validator import EmailNotValidError, validate_email
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select

from tracker.audit import record
from tracker.extensions import db
from tracker.models import ROLES, User
from tracker.models.common import utcnow
from tracker.settings import current

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256

DEFAULT_HASHER = PasswordHasher()  # argon2id with the library's current defaults
_hasher = DEFAULT_HASHER
# Verified when the email is unknown, so a miss costs as much as a hit.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def use_hasher(hasher: PasswordHasher) -> None:
    """Hash and verify with ``hasher`` from now on (the tests use cheap argon2id
    parameters; production keeps the library defaults)."""
    global _hasher, _DUMMY_HASH
    _hasher = hasher
    _DUMMY_HASH = hasher.hash(secrets.token_hex(16))


class AccountError(ValueError):
    """A request about accounts that cannot be carried out; the message says why."""


def normalize_email(raw: str) -> str:
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise AccountError(f"not a valid email address: {exc}") from None


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(f"the password may have at most {MAX_PASSWORD_LENGTH} characters")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    """The user whose email and password these are, or None.  Inactive users
    are returned too: the caller says why they cannot sign in."""
    user = find_user(email)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def create_user(email: str, role: str, password: str | None, *, actor: User | str) -> User:
    """Create an account.  Without a password the account cannot sign in until
    a reset link is used."""
    email = normalize_email(email)
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if find_user(email) is not None:
        raise AccountError(f"an account for {email} already exists")
    if password is not None:
        check_password_rules(password)
    user = User(
        email=email,
        role=role,
        active=True,
        # An unusable hash: no password verifies against a random secret's hash
        # that nobody knows.
        password_hash=hash_password(password if password is not None else secrets.token_hex(32)),
        session_token=secrets.token_hex(16),
    )
    db.session.add(user)
    db.session.flush()
    record(actor, "user.create", user, after={"email": email, "role": role})
    return user


def set_password(user: User, password: str, *, actor: User | str) -> None:
    check_password_rules(password)
    user.password_hash = hash_password(password)
    user.session_token = secrets.token_hex(16)  # signs out every session, voids reset links
    record(actor, "user.set_password", user)


def set_role(user: User, role: str, *, actor: User | str) -> None:
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if user.role == role:
        return
    if user.role == "admin" and _other_active_admins(user) == 0:
        raise AccountError("this is the last active admin; make another admin first")
    before = {"role": user.role}
    user.role = role
    record(actor, "user.set_role", user, before=before, after={"role": role})


def set_active(user: User, active: bool, *, actor: User | str) -> None:
    if user.active == active:
        return
    if not active and user.role == "admin" and _other_active_admins(user) == 0:
        raise AccountError("this is the last active admin; make another admin first")
    user.active = active
    if not active:
        user.session_token = secrets.token_hex(16)
    record(
        actor,
        "user.activate" if active else "user.deactivate",
        user,
        before={"active": not active},
        after={"active": active},
    )


def _other_active_admins(user: User) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.role == "admin", User.active.is_(True), User.id != user.id)
        )
        or 0
    )


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current().secret_key, salt="password-reset")


def reset_token(user: User, *, actor: User | str) -> str:
    """A one-time token: it carries the user's current session token, which
    changes when the password is set, so the link works once."""
    record(actor, "user.reset_link", user)
    return _serializer().dumps({"u": user.id, "t": user.session_token})


def user_for_reset_token(token: str) -> User:
    max_age = current().reset_token_hours * 3600
    try:
        data = _serializer().loads(token, max_age=max_age)
    except SignatureExpired:
        raise AccountError("this reset link has expired; ask an admin for a new one") from None
    except BadSignature:
        raise AccountError("this reset link is not valid") from None
    user = db.session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not secrets.compare_digest(user.session_token, str(data.get("t"))):
        raise AccountError("this reset link has already been used or replaced")
    if not user.active:
        raise AccountError("this account is deactivated")
    return user


def note_login(user: User) -> None:
    user.last_login_at = utcnow()
