"""Flask-WTF forms for the intake pages; every one carries a CSRF token and refuses control characters."""
from __future__ import annotations

from datetime import date

from wtforms import (IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField,
                     ValidationError, widgets)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp, URL

from ingest.records import REVIEW_ID
from views.forms import SafeForm


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ReviewForm(SafeForm):
    title = StringField("Title", validators=[DataRequired(message="Enter the review's title"), Length(max=300)])
    subject = StringField("Subject", validators=[
        DataRequired(message="Enter the subject, as the review names the child (for example Child T)"),
        Length(max=120)])
    review_type = SelectField("Type of review", choices=[], validate_choice=True)
    publisher = StringField("Publisher", validators=[Length(max=200)])
    area = StringField("Area", validators=[Length(max=120)])
    day = IntegerField("Day", validators=[Optional(), NumberRange(min=1, max=31, message="The day must be 1 to 31")])
    month = IntegerField("Month", validators=[DataRequired(message="Enter the month the review was published"),
                                              NumberRange(min=1, max=12, message="The month must be 1 to 12")])
    year = IntegerField("Year", validators=[DataRequired(message="Enter the year the review was published"),
                                            NumberRange(min=1990, max=2100, message="The year must be 4 digits")])
    period = StringField("Period reviewed", validators=[Length(max=200)])
    report_url = StringField("Link to the published report", validators=[
        Optional(), URL(require_tld=False, message="Enter a link starting with https://"), Length(max=1000)])
    summary = TextAreaField("Short summary", validators=[Length(max=3000)])
    themes = CheckboxesField("Themes", choices=[], validate_choice=True)
    review_id = StringField("Review id", validators=[
        Optional(), Regexp(REVIEW_ID.pattern, message="The id can use lower-case letters, digits and hyphens only"),
        Length(max=80)])

    def published(self) -> str:
        """YYYY-MM or YYYY-MM-DD from the date fields (validated first)."""
        if self.day.data:
            return date(self.year.data, self.month.data, self.day.data).isoformat()
        return f"{self.year.data:04d}-{self.month.data:02d}"

    def validate_day(self, field) -> None:
        if field.data and self.month.data and self.year.data:
            try:
                date(self.year.data, self.month.data, field.data)
            except (ValueError, TypeError):
                raise ValidationError("The publication date must be a real date") from None


class UploadForm(SafeForm):
    role = SelectField("What is this document?", choices=[], validate_choice=True)


class PasteForm(SafeForm):
    role = SelectField("What is this text?", choices=[], validate_choice=True)
    page_title = StringField("Name of the page", validators=[Length(max=120)])
    text = TextAreaField("Text of the web page", validators=[DataRequired(message="Paste the text of the page")])
    strip_control_in = ("text",)  # read like any document, whose reader drops them too


class RecommendationEditForm(SafeForm):
    number = StringField("Number", validators=[DataRequired(message="Enter the recommendation's number"),
                                               Length(max=20)])
    text = TextAreaField("Text", validators=[DataRequired(message="Enter the recommendation's text"),
                                             Length(max=5000)])
    agencies = CheckboxesField("Addressed to", choices=[], validate_choice=True)
    themes = CheckboxesField("Themes", choices=[], validate_choice=True)


class ActionLinkForm(SafeForm):
    recommendation = SelectField("Recommendation", choices=[], validate_choice=True)


class RenumberForm(SafeForm):
    start = IntegerField("Number the list from", validators=[DataRequired(), NumberRange(min=1, max=999)])


class CorrectionsForm(SafeForm):
    """Nothing but the CSRF token: a button (publish, drop, restore, withdraw)."""
