"""Flask-WTF forms for sign-in and the tracker; every one carries a CSRF token and refuses control characters."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (HiddenField, IntegerField, PasswordField, SelectChoice, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length, NumberRange, Optional, Regexp

from core import status as statuses
from core.text import control_message, strip_control

_DATE = Regexp(r"^\d{4}-\d{2}-\d{2}$", message="Enter the date as YYYY-MM-DD, for example 2025-03-31")


class SafeForm(FlaskForm):
    """The base of every form in the app: a text field holding a control character (U+0001, a
    vertical tab pasted from Word) is refused with a message on that field, and the text is kept.
    Fields named in `strip_control_in` (a whole pasted document) have them dropped instead."""

    strip_control_in: tuple[str, ...] = ()

    def validate(self, extra_validators=None) -> bool:
        for name in self.strip_control_in:
            if isinstance(self[name].data, str):
                self[name].data = strip_control(self[name].data)
        valid = super().validate(extra_validators)
        for field in self:
            message = control_message(field.data) if isinstance(field.data, str) else None
            if message:
                field.errors = [*field.errors, message]
                valid = False
        return valid


class LoginForm(SafeForm):
    name = StringField("User name", validators=[DataRequired(message="Enter your user name"), Length(max=64)])
    password = PasswordField("Password", validators=[DataRequired(message="Enter your password"),
                                                     Length(max=1024)])
    next = HiddenField()


class PasswordForm(SafeForm):
    current = PasswordField("Current password", validators=[DataRequired(message="Enter your current password")])
    new = PasswordField("New password", validators=[
        DataRequired(message="Enter a new password"),
        Length(min=12, max=1024, message="The new password must be at least 12 characters long")])
    confirm = PasswordField("Confirm the new password", validators=[
        EqualTo("new", message="The two new passwords do not match")])


class NewPasswordForm(SafeForm):
    """Choosing a password through a one-time reset link."""
    new = PasswordField("New password", validators=[
        DataRequired(message="Enter a new password"),
        Length(min=12, max=1024, message="The new password must be at least 12 characters long")])
    confirm = PasswordField("Confirm the new password", validators=[
        EqualTo("new", message="The two new passwords do not match")])


class UserRoleForm(SafeForm):
    """Role and agency of a user; the choices are filled in by the view."""
    role = SelectField("Role", choices=[], validate_choice=False)
    agency = SelectField("Agency (agency leads only)", choices=[], validate_choice=False)


class NewUserForm(UserRoleForm):
    name = StringField("User name", validators=[DataRequired(message="Enter a user name"), Length(max=64)])


class ConfirmForm(SafeForm):
    """A button-only form (sign out, deactivate): all it needs is the CSRF token."""


def choices(vocabulary: list[dict], keep: str | None = None) -> list[SelectChoice]:
    """Options from a vocabulary: selectable ones, plus `keep` (an ingested-only current value)."""
    return [SelectChoice(v["key"], v["label"]) for v in vocabulary if v.get("selectable", True) or v["key"] == keep]


class ActionForm(SafeForm):
    version = IntegerField(validators=[InputRequired(), NumberRange(min=0)])
    delivery = SelectField("Delivery status", choices=choices(statuses.DELIVERY), validate_choice=False)
    assurance = SelectField("Assurance", choices=choices(statuses.ASSURANCE), validate_choice=False)
    target_date = StringField("Target date", validators=[Optional(), _DATE])
    public_evidence = TextAreaField("Evidence (public)", validators=[Length(max=5000)])
    private_notes = TextAreaField("Notes (private: board, business unit and your agency only)",
                                  validators=[Length(max=5000)])
    note = StringField("Why are you making this change? (kept in the history)", validators=[Length(max=5000)])


class RecommendationForm(SafeForm):
    version = IntegerField(validators=[InputRequired(), NumberRange(min=0)])
    response = SelectField("Response", choices=choices(statuses.RESPONSES), validate_choice=False)
    owner = StringField("Owner", validators=[Length(max=200)])
    target_date = StringField("Target date", validators=[Optional(), _DATE])
    note = StringField("Why are you making this change? (kept in the history)", validators=[Length(max=5000)])


class AddActionForm(SafeForm):
    agency = SelectField("Agency", choices=[], validate_choice=False)
    action = TextAreaField("Action", validators=[DataRequired(message="Describe the action"), Length(max=5000)])
    target_date = StringField("Target date", validators=[Optional(), _DATE])
    note = StringField("Note (kept in the history)", validators=[Length(max=5000)])
