from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from meridian.messaging.models import MAX_BODY
from meridian.messaging.services import clean_body


class MessageForm(forms.Form):
    # No max_length on the field: the service's own check answers a 1 MB paste in words,
    # and the textarea still stops typing at the limit.
    body = forms.CharField(
        label=_("Your message"),
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_BODY}),
        error_messages={"required": _("Write a message before sending it.")},
    )

    def clean_body(self) -> str:
        try:
            return clean_body(self.cleaned_data["body"])
        except ValidationError as error:
            raise ValidationError(error.message_dict["body"]) from None

    def refuse(self, error: ValidationError) -> None:
        """Show a service's refusal beside the field."""
        errors: dict[str, Any] = (
            error.message_dict if hasattr(error, "error_dict") else {"body": error.messages}
        )
        for field, messages in errors.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
