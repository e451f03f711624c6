from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from tracker.models import ROLES

ROLE_CHOICES = [SelectChoice(role, role.capitalize()) for role in ROLES]


class NewUserForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    role = SelectField("Role", choices=ROLE_CHOICES, default="staff")
    submit = SubmitField("Add user")


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)
    submit = SubmitField("Change role")


class ActionForm(FlaskForm):
    """A button that only carries the CSRF token."""

    submit = SubmitField("Go")
