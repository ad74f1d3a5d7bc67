"""Forms for sharing a link or a file with the pair."""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from meridian.core.errors import MeridianError
from meridian.mentorships import files


class LinkForm(forms.Form):
    url = forms.CharField(
        label=_("Link"),
        max_length=files.MAX_URL,
        widget=forms.URLInput(attrs={"inputmode": "url", "autocomplete": "url"}),
        help_text=_("A web address starting with https://"),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=files.MAX_NOTE)

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("prefix", "link")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def clean_url(self) -> str:
        try:
            return files.check_url(self.cleaned_data["url"])
        except MeridianError as error:
            raise forms.ValidationError(str(error)) from None


class UploadForm(forms.Form):
    file = forms.FileField(label=_("File"), max_length=255, allow_empty_file=True)
    note = forms.CharField(label=_("Note"), required=False, max_length=files.MAX_NOTE)

    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("prefix", "upload")
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["file"].help_text = _("Up to %(size)s: %(kinds)s.") % {
            "size": filesizeformat(files.max_bytes()),
            "kinds": files.ALLOWED_LABEL,
        }
