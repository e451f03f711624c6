"""The audit trail: every change by staff, admins, the CLI or the scheduler."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect

from tracker.extensions import db
from tracker.models import AuditEvent, User


def record(
    actor: User | str,
    action: str,
    entity: Any,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    note: str | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction (the caller commits)."""
    user = actor if isinstance(actor, User) else None
    identity = inspect(entity).identity
    event = AuditEvent(
        user_id=user.id if user else None,
        actor=user.email if user else str(actor),
        action=action,
        entity_type=entity.__tablename__,
        entity_id=str(getattr(entity, "public_id", None) or identity[0]),
        before=before,
        after=after,
        note=note,
    )
    db.session.add(event)
    return event
