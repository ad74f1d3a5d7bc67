"""The program's conversation guide as a formset: one form per meeting topic."""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from meridian.scheduling.guide import GUIDE_NUMBERS
from meridian.scheduling.models import MAX_AGENDA, GuideTopic


class GuideTopicForm(forms.ModelForm[GuideTopic]):
    number = forms.IntegerField(
        label=_("Meeting number"),
        validators=[MinValueValidator(GUIDE_NUMBERS.start), MaxValueValidator(GUIDE_NUMBERS.stop - 1)],
        widget=forms.NumberInput(attrs={"min": GUIDE_NUMBERS.start, "max": GUIDE_NUMBERS.stop - 1}),
    )

    class Meta:
        model = GuideTopic
        fields = ("number", "title", "agenda")
        widgets = {"agenda": forms.Textarea(attrs={"rows": 4, "maxlength": MAX_AGENDA})}


class BaseGuideFormSet(forms.BaseModelFormSet[GuideTopic, GuideTopicForm]):
    def add_fields(self, form: GuideTopicForm, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this topic")

    def clean(self) -> None:
        """Each meeting number once (the database's unique index is the last word)."""
        super().clean()
        seen: set[int] = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            number = form.cleaned_data.get("number")
            if number is None:
                continue
            if number in seen:
                form.add_error("number", _("Another topic already has meeting number %(n)d.") % {"n": number})
            seen.add(number)


GuideFormSet = forms.modelformset_factory(
    GuideTopic,
    form=GuideTopicForm,
    formset=BaseGuideFormSet,
    extra=1,
    can_delete=True,
    max_num=len(GUIDE_NUMBERS),
    validate_max=True,
    absolute_max=len(GUIDE_NUMBERS) + 8,
)
