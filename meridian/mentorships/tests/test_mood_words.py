"""Check-in moods are words (with a CSS bar beside them), never an emoji that shows as an
empty box in a browser without an emoji font."""

from __future__ import annotations

import unicodedata

import pytest
from django.urls import reverse

from meridian.mentorships import checkins
from meridian.mentorships.models import Mood
from meridian.mentorships.pair_forms import CheckInForm
from tests.factories import people


def symbols(text: str) -> list[str]:
    """The characters of ``text`` that are pictographs or other symbols (Unicode So)."""
    return [ch for ch in text if unicodedata.category(ch) == "So"]


def test_every_mood_is_words_only():
    labels = [str(label) for _value, label in Mood.choices]
    assert labels == ["Struggling", "Not great", "Okay", "Good", "Great"]
    assert symbols("".join(labels)) == []


@pytest.mark.django_db
def test_the_form_and_the_list_show_the_mood_in_words(client, pair):
    _mentor, mentee = people(pair)
    checkins.checkin_create(mentorship=pair, user=mentee, mood=2, line="Busy week")
    client.force_login(mentee)
    page = client.get(reverse("portal:workspace", args=[pair.public_id])).content.decode()
    section = page.split('id="checkin-section"', 1)[1].split("</section>", 1)[0]
    assert str(CheckInForm()["mood"]).count('type="radio"') == 5
    assert 'class="mood mood-2" aria-hidden="true"></span>Not great — Busy week' in section
    assert symbols(section) == []
