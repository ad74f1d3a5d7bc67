"""One error for every refused action, and the one way pages show it.

A service refuses with :class:`MeridianError`: ``message`` is written for the person who
asked and shown as it is, beside ``field`` when it names one. The API answers it in its
one error shape (``meridian.api.errors.exception_handler``); a page shows it with
:func:`show_error`. Subclasses exist only where the answer differs (a conflict is a 409)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest


class MeridianError(Exception):
    """A rule was broken; ``message`` is shown to the person as it is, beside ``field``
    (a form field's name) when there is one."""

    status = 400
    code = "invalid"

    def __init__(self, message: Any, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = str(message)
        self.field = field

    def __str__(self) -> str:
        return self.message


class Conflict(MeridianError):
    """Someone else changed the same thing at the same moment: nothing was written."""

    status = 409
    code = "conflict"


def show_error(request: HttpRequest, error: MeridianError, form: Any = None) -> None:
    """Show a refusal where the person looks: on ``form`` beside the field it names (or
    at the form's top when it names none of the form's fields), else as a page message."""
    if form is None:
        messages.error(request, error.message)
        return
    if not hasattr(form, "add_error"):  # a formset: its errors above the forms
        form.non_form_errors().append(error.message)
        return
    form.add_error(error.field if error.field in form.fields else None, error.message)
