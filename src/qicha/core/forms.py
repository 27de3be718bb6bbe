"""Django forms rendered in Tabler's look without per-template class juggling."""

from datetime import date, datetime

from django import forms

from .dates import DateTextError, parse_date_text


class DateField(forms.DateField):
    """A date typed or picked: one shared reading (core.dates) — an impossible date is refused as
    “日期不存在：2026-02-30”, and the bound form keeps the text as typed."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            return parse_date_text(value)
        except DateTextError as exc:
            raise forms.ValidationError(exc.message, code="invalid") from None


def style_fields(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if type(field) is forms.DateField:
            # Every date field of every styled form reads dates one way (an instance of Django's DateField carries
            # nothing the subclass lacks, so it becomes one in place).
            field.__class__ = DateField
        widget = field.widget
        if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect, forms.HiddenInput)):
            widget.attrs.setdefault("class", "form-check-input")
            continue
        if isinstance(widget, forms.DateInput):
            # One unambiguous format for the date picker and for people typing.
            widget.format = "%Y-%m-%d"
            widget.attrs.setdefault("data-datepicker", "1")
            widget.attrs.setdefault("placeholder", "YYYY-MM-DD")
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class StyledFormMixin:
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")  # Chinese labels take no trailing colon
        super().__init__(*args, **kwargs)
        style_fields(self)

    def add_error(self, field, error):
        super().add_error(field, error)
        # The field itself is outlined in red (Tabler's is-invalid), not only the message under it: on a long form
        # the eye finds the box to correct first.
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", "").split():
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several evidence files in one go (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []
