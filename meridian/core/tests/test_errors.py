"""One error for refusals: the API answers it in its one shape, a page shows it beside
its field or as a message."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.test import RequestFactory

from meridian.api.errors import exception_handler
from meridian.core.errors import Conflict, MeridianError, show_error


class _Form(forms.Form):
    text = forms.CharField(required=False)


def _request():
    request = RequestFactory().post("/")
    request.session = SessionStore()
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


@pytest.mark.parametrize(
    ("error", "status", "body"),
    [
        (MeridianError("Pick a time in the future."), 400, ("invalid", "Pick a time in the future.", {})),
        (
            MeridianError("Write what is to be done.", field="text"),
            400,
            ("invalid", "Write what is to be done.", {"text": ["Write what is to be done."]}),
        ),
        (
            Conflict("Someone was matched at the same moment."),
            409,
            ("conflict", "Someone was matched at the same moment.", {}),
        ),
    ],
)
def test_the_api_answers_a_refusal_in_its_one_error_shape(error, status, body):
    response = exception_handler(error, {})
    assert response is not None
    assert response.status_code == status
    code, message, fields = body
    assert response.data == {"error": {"code": code, "message": message, "fields": fields}}


def test_a_page_shows_a_refusal_beside_the_field_it_names():
    form = _Form({"text": "x"})
    assert form.is_valid()
    show_error(_request(), MeridianError("Too long.", field="text"), form)
    assert form.errors == {"text": ["Too long."]}


def test_a_page_shows_a_refusal_naming_no_field_of_the_form_at_the_forms_top():
    form = _Form({"text": "x"})
    assert form.is_valid()
    show_error(_request(), MeridianError("Closed.", field="due_on"), form)
    assert form.non_field_errors() == ["Closed."]


def test_a_page_without_a_form_shows_a_refusal_as_a_message():
    request = _request()
    show_error(request, MeridianError("This invitation has expired."))
    assert [(m.level_tag, m.message) for m in get_messages(request)] == [
        ("error", "This invitation has expired.")
    ]


def test_a_formset_shows_a_refusal_above_its_forms():
    formset = forms.formset_factory(_Form)({"form-TOTAL_FORMS": "0", "form-INITIAL_FORMS": "0"})
    assert formset.is_valid()
    show_error(_request(), MeridianError("Two topics share a number."), formset)
    assert list(formset.non_form_errors()) == ["Two topics share a number."]
