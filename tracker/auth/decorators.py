"""Access control for views: staff pages need a signed-in user, admin pages an admin."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from flask import abort
from flask_login import current_user, login_required

F = TypeVar("F", bound=Callable[..., Any])
P = ParamSpec("P")
R = TypeVar("R")


def staff_required(view: F) -> F:
    # login_required returns the view wrapped (typed in typings/flask_login.pyi).
    return login_required(view)


def admin_required(view: Callable[P, R]) -> Callable[P, R]:
    @wraps(view)
    def admin_only(*args: P.args, **kwargs: P.kwargs) -> R:
        if not current_user.is_admin:
            abort(403, description="This page is for admins.")
        return view(*args, **kwargs)

    return staff_required(admin_only)
