"""Re-matching (B7): a mentee whose mentorship ended early asks to be matched again; the
program's manager sees the request on their home and in the pairs list, opens the
mentee's ranked, explained alternatives (never the former mentor) and confirms one with
one click; the mentee and the new mentor get an introduction. Nothing happens by itself.
Self-select programs let the mentee choose again instead."""

from __future__ import annotations

import pytest
from django.urls import reverse

from meridian.core.errors import Conflict, MeridianError
from meridian.core.models import OutboundEmail
from meridian.matching import rematch, selfselect
from meridian.matching.tests.test_selfselect import friendly_cohort, mentee_in
from meridian.mentorships import closing
from meridian.mentorships.models import Closure, Member, Mentorship
from meridian.mentorships.services import start
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SAID = closing.Thoughts(achieved="Two good talks", recommend="maybe")


def ended_early(*, mode: str = "manager", ask: bool = True):
    """A cohort whose first mentee's mentorship with the first mentor ended early."""
    manager = UserFactory(name="Mia Manager")
    cohort = friendly_cohort(mentees=3, mentors=4, capacity=1, matching_mode=mode)
    cohort.program.managers.add(manager)
    mentee = mentee_in(cohort)
    former = cohort.enrollments.filter(role="mentor").order_by("pk").first()
    pair = start(mentor=former, mentees=[mentee]).mentorship
    closure = closing.mentorship_close(
        mentorship=pair, user=mentee.user, outcome="ended", reason="not_a_fit", thoughts=SAID, rematch=ask
    )
    return manager, mentee, former, closure


def test_the_alternatives_are_ranked_explained_and_leave_out_the_former_mentor():
    _manager, _mentee, former, closure = ended_early()
    found = rematch.options(rematch.request_of(closure))
    assert found, "the friendly cohort allows other mentors"
    assert former.pk not in {o.mentor.pk for o in found}
    assert [o.score for o in found] == sorted((o.score for o in found), reverse=True)
    assert all(o.summary and o.room == 1 for o in found)


def test_the_manager_confirms_a_new_mentor_with_one_click(client, django_capture_on_commit_callbacks):
    manager, mentee, former, closure = ended_early()
    client.force_login(manager)
    url = reverse("matching:rematch", args=[closure.public_id])
    page = client.get(url).content.decode()
    assert "Best alternatives" in page
    assert "Not a good fit" in page
    chosen = rematch.options(rematch.request_of(closure))[0].mentor
    assert chosen.pk != former.pk
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(url, {"mentor": str(chosen.public_id)})
    new = Mentorship.objects.exclude(pk=closure.mentorship_id).get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("portal:workspace", args=[new.public_id])
    assert {m.enrollment_id for m in Member.objects.filter(mentorship=new, is_current=True)} == {
        mentee.pk,
        chosen.pk,
    }
    closure.refresh_from_db()
    assert closure.rematched_as == new
    assert (new.score or 0) > 0
    assert new.why
    introduced = sorted(e.to[0] for e in OutboundEmail.objects.filter(subject__startswith="Meet your"))
    assert introduced == sorted([mentee.user.email, chosen.user.email])
    with pytest.raises(Conflict):
        rematch.rematch_confirm(request=rematch.request_of(closure), mentor=chosen)


def test_the_former_mentor_is_refused_and_nothing_starts():
    _manager, _mentee, former, closure = ended_early()
    with pytest.raises(MeridianError):
        rematch.rematch_confirm(request=rematch.request_of(closure), mentor=former)
    assert Mentorship.objects.count() == 1
    assert Closure.objects.get().rematched_as is None


def test_without_a_request_nothing_is_rematched():
    _manager, _mentee, _former, closure = ended_early(ask=False)
    chosen = rematch.options(rematch.request_of(closure))[0].mentor
    with pytest.raises(MeridianError):
        rematch.rematch_confirm(request=rematch.request_of(closure), mentor=chosen)
    assert Mentorship.objects.count() == 1


def test_the_manager_sees_the_request_on_their_home_and_in_the_pairs_list(client):
    manager, _mentee, _former, closure = ended_early()
    client.force_login(manager)
    home = client.get("/").content.decode()
    assert "1 mentee asks to be matched again in" in home
    url = reverse("matching:rematch", args=[closure.public_id])
    assert url in home
    pairs = client.get(reverse("portal:program_pairs", args=[closure.mentorship.program.public_id]))
    assert "Asks for a new mentor" in pairs.content.decode()
    assert url in pairs.content.decode()


def test_self_select_reopens_the_mentees_choice_without_the_former_mentor():
    _manager, mentee, former, closure = ended_early(mode="self_select", ask=True)
    assert closure.rematch_requested_at is None  # nothing for the manager: the mentee chooses
    page = selfselect.mentee_page(mentee)
    assert not page.matched
    assert page.recommendations
    assert former.pk not in {r.mentor.pk for r in page.recommendations}


def test_only_the_programs_managers_open_a_request(client):
    _manager, mentee, _former, closure = ended_early()
    url = reverse("matching:rematch", args=[closure.public_id])
    for person in (mentee.user, UserFactory(), UserFactory(can_create_programs=True)):
        client.force_login(person)
        assert client.get(url).status_code == 404


def test_self_select_refuses_a_request_to_the_former_mentor():
    _manager, mentee, former, _closure = ended_early(mode="self_select", ask=False)
    with pytest.raises(MeridianError, match="never-match list"):
        selfselect.requests_create(mentee=mentee, mentors=[former], message="Again?")
    assert not mentee.requests_made.exists()


def test_the_close_endpoint_is_in_the_schema(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    close = schema["paths"]["/api/v1/mentorships/{public_id}/close/"]["post"]
    assert set(close["responses"]) >= {"201", "400", "404", "409"}


@pytest.mark.parametrize("size", [4, 12])
def test_the_rematch_page_costs_the_same_whatever_the_cohorts_size(client, django_assert_num_queries, size):
    manager = UserFactory()
    cohort = friendly_cohort(mentees=size, mentors=size, capacity=1, matching_mode="manager")
    cohort.program.managers.add(manager)
    mentee = mentee_in(cohort)
    pair = start(mentor=cohort.enrollments.filter(role="mentor").first(), mentees=[mentee]).mentorship
    closure = closing.mentorship_close(
        mentorship=pair, user=mentee.user, outcome="ended", reason="other", thoughts=SAID, rematch=True
    )
    client.force_login(manager)
    url = reverse("matching:rematch", args=[closure.public_id])
    # session, user, the door (closure, managers), the request's members; the engine's
    # cohort (members, profiles, exclusions, reporting lines, room: adapter.build) and the
    # mentors' room, whatever the cohort's size
    with django_assert_num_queries(22):
        page = client.get(url).content.decode()
    assert page.count('name="mentor"') == min(size - 1, rematch.LISTED)
