"""The access matrix: every page and endpoint x every role, against the one policy
(``meridian/core/permissions.py``). Each (row, role) is its own test id, so a failure
names the page and the person, e.g. ``test_it_enforces_the_matrix[cohort_edit-mentor]``.

Refusals: anonymous visitors are sent to sign in (the API answers 401); signed-in
people get 404 (we never confirm what exists), except program creation (403).

The last test walks ``config.urls`` and fails when a named page is missing here, so a
new page cannot be added without deciding who may see it, and when a row's URL matches
no page (a renamed or mistyped route would otherwise go untested).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any, NamedTuple

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils import timezone

from meridian.programs.models import Invitation, StagedImport
from tests import closing_matrix as cm
from tests import ladder_matrix as lm
from tests import pair_matrix as pm
from tests import queue_matrix as qm
from tests.factories import CohortFactory, EnrollmentFactory, InvitationFactory, ProgramFactory, UserFactory

ROLES = ("anonymous", "mentee", "other_mentee", "mentor", "other_manager", "manager", "admin")
LOGIN = "login"  # refused anonymous visitor: 302 to /accounts/login/?next=...
API_ANONYMOUS = 401  # with a WWW-Authenticate challenge, never 403 (meridian/api/authentication.py)
# App bugs the matrix finds, by (row, role): {("cohort_detail", "admin"): "why"}. Each is a
# strict xfail, so the fix makes it fail until its entry is removed.
KNOWN_BUGS: dict[tuple[str, str], str] = {}

Expected = int | str | frozenset[int]


class Row(NamedTuple):
    name: str
    method: str
    url: Callable[[SimpleNamespace, Any], str]  # (world, the requesting user or None) -> path
    expected: dict[str, Expected]
    data: Callable[[SimpleNamespace], dict[str, Any]] | None = None
    headers: dict[str, str] | None = None


# ---------------------------------------------------------------- expectations


def only(
    allowed: set[str], ok: Expected = 200, refused: Expected = 404, anonymous: Expected = LOGIN
) -> dict[str, Expected]:
    """``ok`` for the ``allowed`` roles, ``refused`` for the other signed-in ones."""
    return {role: anonymous if role == "anonymous" else ok if role in allowed else refused for role in ROLES}


def everyone(ok: Expected, anonymous: Expected = LOGIN) -> dict[str, Expected]:
    return only(set(ROLES), ok, anonymous=anonymous)


def managers_of_p(ok: Expected = 200, anonymous: Expected = LOGIN) -> dict[str, Expected]:
    """Managers of P and administrators; everyone else refused."""
    return only({"manager", "admin"}, ok, anonymous=anonymous)


def sees_p(ok: Expected = 200, anonymous: Expected = LOGIN) -> dict[str, Expected]:
    """People of program P (its members and managers) and administrators."""
    return only({"mentee", "mentor", "manager", "admin"}, ok, anonymous=anonymous)


def sees_q() -> dict[str, Expected]:
    return only({"other_mentee", "other_manager", "admin"})


def owner_or_managers(ok: Expected = 200) -> dict[str, Expected]:
    """The mentee's own enrolment: the mentee, P's managers and administrators."""
    return only({"mentee", "manager", "admin"}, ok)


def program_creators(ok: Expected) -> dict[str, Expected]:
    """People allowed to start programs (both managers here) and administrators: 403 otherwise."""
    return only({"other_manager", "manager", "admin"}, ok, refused=403)


# ---------------------------------------------------------------- the world


def build_world() -> SimpleNamespace:
    """Program P (cohort A, running) and program Q (cohort B, running), and the roles.

    Both cohorts are running, not open: an open cohort makes its program visible to
    every signed-in person, so rows that need one create it themselves.
    """
    w = SimpleNamespace()
    w.manager = UserFactory(name="Manager of P", can_create_programs=True)
    w.other_manager = UserFactory(name="Manager of Q", can_create_programs=True)
    w.admin = UserFactory(name="Administrator", is_staff=True)
    w.p = ProgramFactory(name="P", managers=[w.manager])
    w.q = ProgramFactory(name="Q", managers=[w.other_manager])
    w.cohort_a = CohortFactory(program=w.p, status="running")
    w.cohort_b = CohortFactory(program=w.q, status="running")
    w.mentee_enrollment = EnrollmentFactory(cohort=w.cohort_a, role="mentee")
    w.mentor_enrollment = EnrollmentFactory(cohort=w.cohort_a, role="mentor", capacity=2)
    w.other_enrollment = EnrollmentFactory(cohort=w.cohort_b, role="mentee")
    w.mentee, w.mentor = w.mentee_enrollment.user, w.mentor_enrollment.user
    w.other_mentee = w.other_enrollment.user
    w.anonymous = None
    return w


def open_cohort(w: SimpleNamespace, user: Any) -> str:
    return str(CohortFactory(program=w.p, status="open").public_id)


def applicant(w: SimpleNamespace, user: Any) -> str:
    return str(EnrollmentFactory(cohort=w.cohort_a, status="applied", role="mentor").public_id)


def invitation_for(w: SimpleNamespace, user: Any) -> str:
    """An invitation to cohort A addressed to the person asking (or a stranger)."""
    email = user.email if user else "newcomer@example.org"
    invitation = Invitation.objects.filter(cohort=w.cohort_a, email=email).first()
    invitation = invitation or InvitationFactory(cohort=w.cohort_a, email=email, invited_by=w.manager)
    return str(invitation.token)


def expired_invitation(w: SimpleNamespace, user: Any) -> str:
    yesterday = timezone.now() - dt.timedelta(days=1)
    return str(InvitationFactory(cohort=w.cohort_a, expires_at=yesterday).token)


def staged_import(w: SimpleNamespace, user: Any) -> str:
    staged = StagedImport.objects.create(
        cohort=w.cohort_a, uploaded_by=w.manager, filename="people.csv", data=b"email\n"
    )
    return str(staged.public_id)


def done_import(w: SimpleNamespace, user: Any) -> str:
    """An import of cohort A already written, which created one person without a password."""
    person = UserFactory()
    person.set_unusable_password()
    person.save()
    EnrollmentFactory(cohort=w.cohort_a, user=person, status="approved", source="import")
    staged = StagedImport.objects.create(
        cohort=w.cohort_a,
        uploaded_by=w.manager,
        filename="people.csv",
        data=b"email\n",
        status="done",
        outcome={"created_user_ids": [person.pk]},
    )
    return str(staged.public_id)


def import_file_data(w: SimpleNamespace) -> dict[str, Any]:
    """A participant file naming a new person and program Q's mentee (who is only invited)."""
    text = (
        "id,role,name,email,time_zone\n"
        "N1,mentee,Nia New,nia.new@example.org,UTC\n"
        f"Q1,mentee,Renamed,{w.other_mentee.email},UTC\n"
    )
    return {"file": SimpleUploadedFile("people.csv", text.encode())}


def program_data(w: SimpleNamespace) -> dict[str, Any]:
    return {
        "name": "Renamed",
        "slug": "renamed",
        "description": "",
        "kind": "one_to_one",
        "matching_mode": "manager",
        "starts_on": "2030-01-01",
        "ends_on": "2030-06-30",
        "cadence_weeks": 2,
        "meeting_minutes": 45,
        "group_size": 1,
        "requests_per_mentee": 3,
        "answer_days": 7,
    }


def cohort_data(w: SimpleNamespace) -> dict[str, Any]:
    return {
        "name": "Spring",
        "slug": "spring",
        "starts_on": "2030-01-01",
        "ends_on": "2030-06-30",
        "status": "running",
    }


def profile_data(w: SimpleNamespace) -> dict[str, Any]:
    return {"name": "Renamed Person", "time_zone": "Europe/Berlin", "availability": "Mon 09:00-12:00"}


HTMX = {"HX-Request": "true"}
P = "/programs/{w.p.public_id}"
A = "/cohorts/{w.cohort_a.public_id}"


def url(template: str) -> Callable[[SimpleNamespace, Any], str]:
    return lambda w, user: template.format(w=w)


# ---- matching review: a finished run of cohort A proposing the mentee to the mentor


def a_run(w: SimpleNamespace, user: Any) -> Any:
    from meridian.matching.adapter import default_settings
    from meridian.matching.models import MatchRun, Proposal

    number = MatchRun.objects.filter(cohort=w.cohort_a).count() + 1
    run = MatchRun.objects.create(
        cohort=w.cohort_a,
        number=number,
        created_by=w.manager,
        settings=default_settings(w.cohort_a),
        status="done",
        matched=1,
        total=0.5,
        optimum=0.5,
    )
    w.proposal = Proposal.objects.create(
        run=run, mentee=w.mentee_enrollment, mentor=w.mentor_enrollment, score=0.5, summary="Both like SQL"
    )
    return run


def run_url(suffix: str = "") -> Callable[[SimpleNamespace, Any], str]:
    return lambda w, u: f"/runs/{a_run(w, u).public_id}/{suffix.format(w=w)}"


def pair_url(action: str) -> Callable[[SimpleNamespace, Any], str]:
    def build(w: SimpleNamespace, u: Any) -> str:
        run = a_run(w, u)
        return f"/runs/{run.public_id}/pairs/{w.proposal.mentee.public_id}/{action}/"

    return build


def run_settings_data(w: SimpleNamespace) -> dict[str, Any]:
    data: dict[str, Any] = {
        f"w_{k}": 1 for k in ("values", "skills", "hours", "languages", "seniority", "channels")
    }
    return {**data, "min_shared_hours": 0, "mode": "optimal", "objective": "score"}


def move_data(w: SimpleNamespace) -> dict[str, Any]:
    return {"mentee": str(w.mentee_enrollment.public_id), "mentor": str(w.mentor_enrollment.public_id)}


def a_mentorship(w: SimpleNamespace, user: Any) -> str:
    """The mentee and the mentor of cohort A as a pair (made once per world)."""
    from meridian.mentorships.models import Mentorship
    from meridian.mentorships.services import start

    mine = Mentorship.objects.filter(members__enrollment=w.mentee_enrollment).first()
    return str(
        (mine or start(mentor=w.mentor_enrollment, mentees=[w.mentee_enrollment]).mentorship).public_id
    )


def a_pulse(w: SimpleNamespace, user: Any) -> str:
    """The mentee's open pulse in the pair (made once per world)."""
    from meridian.engagement.models import Pulse

    pair = pm.the_pair(w)
    found = Pulse.objects.filter(mentorship=pair, user=w.mentee).first()
    found = found or Pulse.objects.create(
        mentorship=pair,
        user=w.mentee,
        role="mentee",
        number=1,
        due_on=pair.started_on,
        sent_at=timezone.now(),
    )
    return str(found.public_id)


def pairs_of(w: SimpleNamespace, user: Any, scope: str) -> str:
    """The pairs list of P or cohort A, with the pair in it (so a page has a row to show)."""
    a_mentorship(w, user)
    return scope.format(w=w) + "/pairs/"


# ---- meetings of the pair: a proposal by the mentor, and a scheduled meeting


def _soon(days: int) -> dt.datetime:
    return (timezone.now() + dt.timedelta(days=days)).replace(second=0, microsecond=0)


def a_meeting(w: SimpleNamespace, user: Any, *, scheduled: bool = True) -> str:
    """A meeting of the pair proposed by the mentor; accepted by the mentee when ``scheduled``."""
    from meridian.mentorships.models import Mentorship
    from meridian.scheduling import services

    mentorship = Mentorship.objects.get(public_id=a_mentorship(w, user))
    start = _soon(3)
    meeting = services.meeting_propose(
        mentorship=mentorship, user=w.mentor, proposal=services.MeetingProposal(starts=[start], minutes=30)
    )
    if scheduled:
        services.meeting_accept(meeting=meeting, user=w.mentee, start=start)
    return str(meeting.public_id)


def a_proposal(w: SimpleNamespace, user: Any) -> str:
    return a_meeting(w, user, scheduled=False)


def meeting_url(action: str = "", *, scheduled: bool = True) -> Callable[[SimpleNamespace, Any], str]:
    return lambda w, u: f"/meetings/{a_meeting(w, u, scheduled=scheduled)}/{action + '/' if action else ''}"


def propose_data(w: SimpleNamespace) -> dict[str, Any]:
    return {
        "starts": [_soon(4).isoformat()],
        "minutes": 30,
        "channel": "video",
        "video_source": "jitsi",
        "fallback": "phone",
    }


def accept_data(w: SimpleNamespace) -> dict[str, Any]:
    from meridian.scheduling.models import ProposedTime

    option = ProposedTime.objects.filter(meeting__status="proposed").latest("id")
    return {"start": option.starts_at.isoformat()}


def members_of_pair(ok: Expected = 302, **roles: Expected) -> dict[str, Expected]:
    """The pair's mentor and mentee (``roles`` may set either apart); everyone else 404."""
    return only({"mentee", "mentor"}, ok) | roles


def an_action(w: SimpleNamespace, user: Any) -> str:
    """An open action item of the pair, owned by the mentee."""
    from meridian.mentorships.models import Mentorship
    from meridian.scheduling.models import ActionItem

    mentorship = Mentorship.objects.get(public_id=a_mentorship(w, user))
    return str(ActionItem.objects.create(mentorship=mentorship, text="Read", owner=w.mentee).public_id)


def a_feed(w: SimpleNamespace, user: Any) -> str:
    """The mentee's calendar feed: its token is the secret, so anyone holding it reads it."""
    from meridian.scheduling.models import CalendarFeed

    return str(CalendarFeed.objects.create(user=w.mentee).token)


# ---- self-select: program P lets its mentees choose their mentor


def self_select(w: SimpleNamespace, user: Any) -> str:
    """Cohort A's recommendations page, with program P in self-select mode."""
    w.p.matching_mode = "self_select"
    w.p.save(update_fields=["matching_mode"])
    # Profiles complete enough for the hard rules (a rule unchecked for lack of data is not met).
    for person in (w.mentee, w.mentor):
        person.profile.languages, person.profile.availability = ["English"], "Mon 09:00-17:00"
        person.profile.save(update_fields=["languages", "availability"])
    return f"/cohorts/{w.cohort_a.public_id}/mentors/"


def mentor_request(w: SimpleNamespace, user: Any) -> str:
    """A request from the mentee to the mentor, waiting for an answer."""
    from meridian.matching.models import MentorRequest

    self_select(w, user)
    pair = {"cohort": w.cohort_a, "mentee": w.mentee_enrollment, "mentor": w.mentor_enrollment}
    made = MentorRequest.objects.filter(**pair, status="pending").first() or MentorRequest.objects.create(
        **pair
    )
    return str(made.public_id)


def ask_data(w: SimpleNamespace) -> dict[str, Any]:
    return {"mentor": [str(w.mentor_enrollment.public_id)], "message": "Hello"}


def not_for_me_data(w: SimpleNamespace) -> dict[str, Any]:
    return {"mentor": str(w.mentor_enrollment.public_id), "reason": "colleague"}


# ---- personal API tokens: each person's own; another's token is 404


def an_api_token(w: SimpleNamespace, user: Any) -> str:
    """An API token of the mentee's."""
    from meridian.api.tokens import token_create

    token, _key = token_create(user=w.mentee, name="Script")
    return str(token.public_id)


# ---- the pair's development plan and shared files (meridian/mentorships/goals.py, files.py)


def a_goal(w: SimpleNamespace, user: Any) -> Any:
    """A goal of the pair with one milestone (made once per world)."""
    from meridian.mentorships import goals
    from meridian.mentorships.models import Goal, Mentorship

    mentorship = Mentorship.objects.get(public_id=a_mentorship(w, user))
    found = Goal.objects.filter(mentorship=mentorship).first()
    data = goals.GoalInput(title="Negotiate", milestones=["Prepare"])
    return found or goals.goal_create(mentorship=mentorship, user=w.mentee, data=data)


def a_shared(w: SimpleNamespace, user: Any, kind: str) -> str:
    """A file or a link the mentee shared with the pair."""
    from meridian.mentorships import files
    from meridian.mentorships.models import Mentorship

    mentorship = Mentorship.objects.get(public_id=a_mentorship(w, user))
    if kind == "link":
        link = files.shared_link_add(mentorship=mentorship, user=w.mentee, url="https://example.org")
        return str(link.public_id)
    upload = SimpleUploadedFile("notes.txt", b"Our notes\n")
    return str(files.shared_file_add(mentorship=mentorship, user=w.mentee, upload=upload).public_id)


def goal_url(suffix: str = "", api: bool = False) -> Callable[[SimpleNamespace, Any], str]:
    return lambda w, u: f"{'/api/v1' if api else ''}/goals/{a_goal(w, u).public_id}/{suffix}"


def plan_url(suffix: str, api: bool = False) -> Callable[[SimpleNamespace, Any], str]:
    return lambda w, u: f"{'/api/v1' if api else ''}/mentorships/{a_mentorship(w, u)}/{suffix}"


def milestone_url(w: SimpleNamespace, u: Any) -> str:
    goal = a_goal(w, u)
    return f"/goals/{goal.public_id}/milestones/"


def pair_only(ok: Expected = 200, api: bool = False) -> dict[str, Expected]:
    """The pair's mentee and mentor alone: not the managers, not the administrators."""
    return only({"mentee", "mentor"}, ok, anonymous=API_ANONYMOUS if api else LOGIN)


ROWS: list[Any] = [
    Row("healthz", "GET", url("/healthz"), everyone(200, anonymous=200)),
    Row("home", "GET", url("/"), everyone(200)),
    Row("profile", "GET", url("/profile/"), everyone(200)),
    Row("profile_save", "POST", url("/profile/?next=/"), everyone(302), data=profile_data),
    # One's own reminder emails (engagement/views_preferences.py): everyone signed in, their own.
    Row("email_preference", "GET", url("/profile/reminders/"), everyone(200)),
    Row(
        "email_preference_save",
        "POST",
        url("/profile/reminders/"),
        everyone(302),
        data=lambda w: {"mode": "digest"},
    ),
    Row("program_list", "GET", url("/programs/"), everyone(200)),
    Row("program_create", "GET", url("/programs/new/"), program_creators(200)),
    Row("program_create_post", "POST", url("/programs/new/"), program_creators(302), data=program_data),
    Row("program_detail", "GET", url(P + "/"), sees_p()),
    Row("program_detail_q", "GET", url("/programs/{w.q.public_id}/"), sees_q()),
    Row("program_edit", "GET", url(P + "/edit/"), managers_of_p()),
    Row("program_edit_post", "POST", url(P + "/edit/"), managers_of_p(302), data=program_data),
    Row("cohort_create", "GET", url(P + "/cohorts/new/"), managers_of_p()),
    Row("cohort_create_post", "POST", url(P + "/cohorts/new/"), managers_of_p(302), data=cohort_data),
    Row("cohort_detail", "GET", url(A + "/"), sees_p()),
    Row("cohort_detail_open", "GET", lambda w, u: f"/cohorts/{open_cohort(w, u)}/", everyone(200)),
    Row("cohort_edit", "GET", url(A + "/edit/"), managers_of_p()),
    Row("cohort_edit_post", "POST", url(A + "/edit/"), managers_of_p(302), data=cohort_data),
    Row("cohort_apply_open", "GET", lambda w, u: f"/cohorts/{open_cohort(w, u)}/apply/", everyone(200)),
    Row(
        "cohort_apply_open_post",
        "POST",
        lambda w, u: f"/cohorts/{open_cohort(w, u)}/apply/",
        everyone(302),
        data=lambda w: {"role": "mentee"},
    ),
    # A running cohort takes no applications: those who may see it are sent back to it
    # with the reason (302), everyone else does not learn it exists.
    Row(
        "cohort_apply_running_post",
        "POST",
        url(A + "/apply/"),
        sees_p(302),
        data=lambda w: {"role": "mentee"},
    ),
    Row("cohort_invite", "GET", url(A + "/invite/"), managers_of_p()),
    Row(
        "cohort_invite_post",
        "POST",
        url(A + "/invite/"),
        managers_of_p(302),
        data=lambda w: {"emails": "new1@example.org, new2@example.org", "role": "mentee"},
    ),
    Row("enrollment_table", "GET", url(P + "/people/"), managers_of_p()),
    Row("enrollment_table_htmx", "GET", url(P + "/people/?q=a"), managers_of_p(), headers=HTMX),
    # require_POST answers before any lookup, so 405 confirms nothing.
    Row("decide_get", "GET", lambda w, u: f"/enrollments/{applicant(w, u)}/decide/", everyone(405)),
    Row(
        "decide",
        "POST",
        lambda w, u: f"/enrollments/{applicant(w, u)}/decide/",
        managers_of_p(302),
        data=lambda w: {"decision": "approve"},
    ),
    Row(
        "decide_htmx",
        "POST",
        lambda w, u: f"/enrollments/{applicant(w, u)}/decide/",
        managers_of_p(200),
        data=lambda w: {"decision": "decline"},
        headers=HTMX,
    ),
    # Applications are not decided blind: the applicant's profile and answer, to P's team.
    Row("application", "GET", lambda w, u: f"/enrollments/{applicant(w, u)}/", managers_of_p()),
    Row("decide_several_get", "GET", url(P + "/people/decide/"), everyone(405)),
    Row(
        "decide_several",  # the confirmation page naming who
        "POST",
        url(P + "/people/decide/"),
        managers_of_p(200),
        data=lambda w: {"ids": [applicant(w, None)], "decision": "approve"},
    ),
    Row(
        "decide_several_confirm",
        "POST",
        url(P + "/people/decide/"),
        managers_of_p(302),
        data=lambda w: {
            "ids": [applicant(w, None), applicant(w, None)],
            "decision": "decline",
            "confirm": "yes",
        },
    ),
    Row(
        "withdraw", "GET", url("/enrollments/{w.mentee_enrollment.public_id}/withdraw/"), owner_or_managers()
    ),
    Row(
        "withdraw_post",
        "POST",
        url("/enrollments/{w.mentee_enrollment.public_id}/withdraw/"),
        owner_or_managers(302),
        data=lambda w: {"reason": "moving on"},
    ),
    # The token is the proof: the page itself is public to whoever holds the link.
    Row("invitation", "GET", lambda w, u: f"/invitations/{invitation_for(w, u)}/", everyone(200, 200)),
    Row(
        "invitation_accept",
        "POST",
        lambda w, u: f"/invitations/{invitation_for(w, u)}/",
        everyone(302, anonymous=200),
    ),
    Row(
        "invitation_expired",
        "GET",
        lambda w, u: f"/invitations/{expired_invitation(w, u)}/",
        everyone(410, 410),
    ),
    Row("invitation_unknown", "GET", url("/invitations/not-a-token/"), everyone(404, 404)),
    # A one-click answer from an email: the signed link is the permission (engagement/links.py).
    Row("one_click_damaged", "GET", url("/r/not-a-token/"), everyone(400, anonymous=400)),
    # The pulse: its person alone answers it (never the partner, never the program team).
    Row(
        "pulse_answer",
        "POST",
        lambda w, u: f"/pulses/{a_pulse(w, u)}/",
        only({"mentee"}, 302),
        data=lambda w: {"rating": "4"},
    ),
    Row("api_my_pulses", "GET", url("/api/v1/me/pulses/"), everyone(200, anonymous=API_ANONYMOUS)),
    Row(
        "api_pulse_answer",
        "POST",
        lambda w, u: f"/api/v1/pulses/{a_pulse(w, u)}/",
        only({"mentee"}, 200, anonymous=API_ANONYMOUS),
        data=lambda w: {"rating": 4},
    ),
    # ---- importing people and exporting them: P's team only
    Row("import_upload", "GET", url(A + "/import/"), managers_of_p()),
    Row("import_preview", "GET", lambda w, u: f"/imports/{staged_import(w, u)}/", managers_of_p()),
    Row("import_upload_post", "POST", url(A + "/import/"), managers_of_p(302), data=import_file_data),
    Row(
        "import_confirm",
        "POST",
        lambda w, u: f"/imports/{staged_import(w, u)}/",
        managers_of_p(200),
        data=lambda w: {"digest": "x"},
    ),
    Row(
        "import_progress",
        "GET",
        lambda w, u: f"/imports/{staged_import(w, u)}/progress/",
        managers_of_p(),
        headers=HTMX,
    ),
    # The people a finished import created are sent their invitation, by P's team only.
    Row("import_invite_get", "GET", lambda w, u: f"/imports/{done_import(w, u)}/invite/", everyone(405)),
    Row("import_invite", "POST", lambda w, u: f"/imports/{done_import(w, u)}/invite/", managers_of_p(302)),
    Row("export_csv", "GET", url(P + "/people.csv"), managers_of_p()),
    Row("export_xlsx", "GET", url(P + "/people.xlsx"), managers_of_p()),
    # ---- the REST API: lists are filtered, details of what one may not see are 404,
    # anonymous callers get 401 (never a redirect).
    Row("api_me", "GET", url("/api/v1/me/"), everyone(200, API_ANONYMOUS)),
    Row("api_programs", "GET", url("/api/v1/programs/"), everyone(200, API_ANONYMOUS)),
    Row("api_program", "GET", url("/api/v1/programs/{w.p.public_id}/"), sees_p(anonymous=API_ANONYMOUS)),
    Row("api_cohorts", "GET", url("/api/v1/cohorts/"), everyone(200, API_ANONYMOUS)),
    Row(
        "api_cohort",
        "GET",
        url("/api/v1/cohorts/{w.cohort_a.public_id}/"),
        sees_p(anonymous=API_ANONYMOUS),
    ),
    Row("api_enrollments", "GET", url("/api/v1/enrollments/"), everyone(200, API_ANONYMOUS)),
    # A member sees the approved members of their cohort; the owner sees their own.
    Row(
        "api_enrollment",
        "GET",
        url("/api/v1/enrollments/{w.mentee_enrollment.public_id}/"),
        sees_p(anonymous=API_ANONYMOUS),
    ),
    # ---- matching review
    Row("matching_cohort", "GET", url(A + "/matching/"), managers_of_p()),
    Row("matching_cohort_post", "POST", url(A + "/matching/"), managers_of_p(302), data=run_settings_data),
    Row("matching_run", "GET", run_url(), managers_of_p()),
    Row("matching_run_page_2", "GET", run_url("?page=2&q=a"), managers_of_p()),
    Row("matching_progress", "GET", run_url("progress/"), managers_of_p()),
    Row("matching_rerun", "POST", run_url("rerun/"), managers_of_p(302)),
    Row("matching_publish", "POST", run_url("publish/"), managers_of_p(302)),
    Row("matching_compare", "GET", run_url("compare/"), managers_of_p()),
    Row(
        "matching_why_not", "GET", run_url("why-not/?mentee={w.mentee_enrollment.public_id}"), managers_of_p()
    ),
    Row(
        "matching_why_not_mentor",
        "GET",
        run_url("why-not/?mentee={w.mentee_enrollment.public_id}&mentor={w.mentor_enrollment.public_id}"),
        managers_of_p(),
    ),
    Row("matching_move", "POST", run_url("move/"), managers_of_p(302), data=move_data),
    Row("matching_swap", "POST", run_url("swap/"), managers_of_p(302), data=lambda w: {"pair": ["1", "2"]}),
    Row("matching_lock", "POST", pair_url("lock"), managers_of_p(302)),
    Row("matching_exclude", "POST", pair_url("exclude"), managers_of_p(302), data=lambda w: {"reason": "x"}),
    Row("matching_unmatch", "POST", pair_url("unmatch"), managers_of_p(302)),
    Row("matching_swaps", "GET", pair_url("swaps"), managers_of_p()),
    # ---- matching API: runs for the managers only; mentorships for members and managers
    Row("api_mentorships", "GET", url("/api/v1/mentorships/"), everyone(200, API_ANONYMOUS)),
    Row(
        "api_mentorship",
        "GET",
        lambda w, u: f"/api/v1/mentorships/{a_mentorship(w, u)}/",
        sees_p(anonymous=API_ANONYMOUS),
    ),
    Row("api_runs", "GET", url("/api/v1/match-runs/"), everyone(200, API_ANONYMOUS)),
    Row(
        "api_runs_post",
        "POST",
        url("/api/v1/match-runs/"),
        managers_of_p(201, anonymous=API_ANONYMOUS) | {"other_manager": 404},
        data=lambda w: {"cohort": str(w.cohort_a.public_id)},
    ),
    Row(
        "api_run",
        "GET",
        lambda w, u: f"/api/v1/match-runs/{a_run(w, u).public_id}/",
        managers_of_p(200, API_ANONYMOUS),
    ),
    Row(
        "api_run_pairs",
        "GET",
        lambda w, u: f"/api/v1/match-runs/{a_run(w, u).public_id}/pairs/",
        managers_of_p(200, API_ANONYMOUS),
    ),
    Row(
        "api_run_publish",
        "POST",
        lambda w, u: f"/api/v1/match-runs/{a_run(w, u).public_id}/publish/",
        managers_of_p(200, API_ANONYMOUS),
    ),
    # ---- mentorships: the list shows one's own; a mentorship its members and managers
    Row("mentorship_list", "GET", url("/mentorships/"), everyone(200)),
    Row("workspace", "GET", lambda w, u: f"/mentorships/{a_mentorship(w, u)}/", sees_p()),
    # ---- the program team's pairs: activity of P's mentorships, for P's managers alone
    # ---- the pair's agreement, check-ins and reports: the pair alone; its current members write
    Row("agreement", "GET", pm.pair_url("agreement/", proposed=True), members_of_pair(200)),
    Row(
        "agreement_propose", "POST", pm.pair_url("agreement/propose/"), members_of_pair(), data=pm.form_terms
    ),
    Row(
        "agreement_accept",
        "POST",
        pm.pair_url("agreement/accept/", proposed=True),
        members_of_pair(),  # the proposer has accepted already: told so on the page
        data=pm.accept_data,
    ),
    Row("checkin", "POST", pm.pair_url("checkins/"), members_of_pair(), data=pm.checkin_data),
    Row("report", "POST", pm.pair_url("report-unresponsive/"), members_of_pair(), data=pm.report_data),
    # The ladder: a pause and "still going" are the pair's; the ladder settings P's team's.
    Row("pause_create", "POST", pm.pair_url("pauses/"), members_of_pair(), data=lm.pause_data),
    Row("pause_end", "POST", lm.a_pause, members_of_pair()),
    Row("still_going", "POST", pm.pair_url("still-going/"), members_of_pair()),
    Row("ladder_settings", "GET", url(P + "/ladder/"), managers_of_p()),
    Row("ladder_settings_save", "POST", url(P + "/ladder/"), managers_of_p(302), data=lm.ladder_data),
    Row("api_pauses", "GET", pm.api_pair_url("pauses/"), sees_p(200, API_ANONYMOUS)),
    Row(
        "api_pause_create",
        "POST",
        pm.api_pair_url("pauses/"),
        members_of_pair(201) | {"anonymous": API_ANONYMOUS},
        data=lm.pause_data,
    ),
    Row(
        "api_pause_end",
        "POST",
        lambda w, u: "/api/v1" + lm.a_pause(w, u),
        members_of_pair(200) | {"anonymous": API_ANONYMOUS},
    ),
    Row("agreement_template", "GET", pm.template_url, managers_of_p()),
    Row("agreement_template_save", "POST", pm.template_url, managers_of_p(302), data=pm.template_terms),
    Row(
        "api_agreement",
        "GET",
        pm.api_pair_url("agreement/", proposed=True),
        sees_p(anonymous=API_ANONYMOUS),  # the program's team: the state alone, as on the page
    ),
    Row(
        "api_agreement_accept",
        "POST",
        pm.api_pair_url("agreement/accept/", proposed=True),
        members_of_pair(200, mentor=400) | {"anonymous": API_ANONYMOUS},  # the proposer accepted by proposing
        data=pm.accept_data,
    ),
    Row(
        "api_checkins",
        "GET",
        pm.api_pair_url("checkins/"),
        members_of_pair(200) | {"anonymous": API_ANONYMOUS},
    ),
    Row(
        "api_checkin_create",
        "POST",
        pm.api_pair_url("checkins/"),
        members_of_pair(201) | {"anonymous": API_ANONYMOUS},
        data=pm.checkin_data,
    ),
    Row(
        "api_report_unresponsive",
        "POST",
        pm.api_pair_url("report-unresponsive/"),
        members_of_pair(201) | {"anonymous": API_ANONYMOUS},
        data=pm.report_data,
    ),
    # ---- closing: the pair alone; its current members close it, the people current then reflect
    Row("close", "GET", pm.pair_url("close/"), members_of_pair(200)),
    Row("close_post", "POST", pm.pair_url("close/"), members_of_pair(), data=cm.close_data),
    Row(
        "reflect",
        "POST",
        cm.closed_url("close/reflection/"),
        members_of_pair(mentor=400),  # the mentor closed it with their reflection: told so
        data=cm.reflect_data,
    ),
    Row("rematch_ask", "POST", cm.closed_url("close/rematch/"), members_of_pair()),
    Row("rematch", "GET", cm.rematch_url, managers_of_p()),
    # the world's people have empty profiles: the engine refuses the pair in words (400), past the door
    Row("rematch_confirm", "POST", cm.rematch_url, managers_of_p(400), data=cm.confirm_data),
    Row(
        "api_close",
        "POST",
        pm.api_pair_url("close/"),
        members_of_pair(201) | {"anonymous": API_ANONYMOUS},
        data=cm.close_data,
    ),
    Row("program_pairs", "GET", lambda w, u: pairs_of(w, u, P), managers_of_p()),
    Row("cohort_pairs", "GET", lambda w, u: pairs_of(w, u, A), managers_of_p()),
    # ---- the check-in queue: health, reasons and what to do, for P's managers alone
    Row("queue", "GET", qm.queue_url, managers_of_p()),
    Row("queue_log", "POST", qm.item_url("log"), managers_of_p(302), data=qm.log_data),
    Row("queue_snooze", "POST", qm.item_url("snooze"), managers_of_p(302), data=qm.snooze_data),
    Row("queue_resolve", "POST", qm.item_url("resolve"), managers_of_p(302)),
    Row("api_health", "GET", qm.api_health_url, managers_of_p(200, API_ANONYMOUS)),
    Row("api_queue", "GET", qm.api_queue_url, managers_of_p(200, API_ANONYMOUS)),
    Row(
        "api_queue_contact",
        "POST",
        qm.api_item_url("contacts"),
        managers_of_p(201, API_ANONYMOUS),
        data=qm.log_data,
    ),
    Row(
        "api_queue_snooze",
        "POST",
        qm.api_item_url("snooze"),
        managers_of_p(200, API_ANONYMOUS),
        data=qm.snooze_data,
    ),
    Row("api_queue_resolve", "POST", qm.api_item_url("resolve"), managers_of_p(200, API_ANONYMOUS)),
    # ---- observing a session: P's managers ask and withdraw; the pair's members answer
    Row("observe_ask", "POST", qm.ask_url, managers_of_p(302), data=qm.ask_data),
    Row("observe_answer", "POST", qm.observation_url("answer"), members_of_pair(302), data=qm.answer_data),
    Row("observe_withdraw", "POST", qm.observation_url("withdraw"), managers_of_p(302)),
    # ---- meetings: members and managers see when and how; members alone change them
    Row("schedule", "GET", lambda w, u: f"/mentorships/{a_mentorship(w, u)}/meetings/", sees_p()),
    Row(
        "propose",
        "POST",
        lambda w, u: f"/mentorships/{a_mentorship(w, u)}/meetings/propose/",
        members_of_pair(),
        data=propose_data,
    ),
    Row(
        "propose_get",
        "GET",
        lambda w, u: f"/mentorships/{a_mentorship(w, u)}/meetings/propose/",
        everyone(405),
    ),
    Row("meeting", "GET", meeting_url(), sees_p()),
    Row("meeting_proposed", "GET", meeting_url(scheduled=False), sees_p()),
    Row("accept", "POST", meeting_url("accept", scheduled=False), members_of_pair(), data=accept_data),
    Row(
        "decline",
        "POST",
        meeting_url("decline", scheduled=False),
        members_of_pair(mentor=400),  # the proposer withdraws instead: refused in words
        data=lambda w: {"decline-reason": "Away that week"},
    ),
    Row(
        "move",
        "POST",
        meeting_url("move"),
        members_of_pair(),
        data=lambda w: {"move-when": _soon(5).strftime("%Y-%m-%dT%H:%M"), "move-reason": "Clash"},
    ),
    Row("cancel", "POST", meeting_url("cancel"), members_of_pair(), data=lambda w: {"cancel-reason": "Ill"}),
    Row("outcome", "POST", meeting_url("outcome"), members_of_pair(), data=lambda w: {"outcome": "held"}),
    Row("consent", "POST", meeting_url("consent"), members_of_pair(), data=lambda w: {"consents": "on"}),
    Row("api_meetings", "GET", url("/api/v1/meetings/"), everyone(200, API_ANONYMOUS)),
    Row(
        "api_meeting",
        "GET",
        lambda w, u: f"/api/v1/meetings/{a_meeting(w, u)}/",
        sees_p(anonymous=API_ANONYMOUS),
    ),
    Row(
        "api_slots",
        "GET",
        lambda w, u: f"/api/v1/mentorships/{a_mentorship(w, u)}/slots/",
        members_of_pair(200) | {"anonymous": API_ANONYMOUS},
    ),
    Row(
        "api_propose",
        "POST",
        lambda w, u: f"/api/v1/mentorships/{a_mentorship(w, u)}/meetings/",
        members_of_pair(201) | {"anonymous": API_ANONYMOUS},
        data=propose_data,
    ),
    Row(
        "api_accept",
        "POST",
        lambda w, u: f"/api/v1/meetings/{a_proposal(w, u)}/accept/",
        members_of_pair(200, mentor=400) | {"anonymous": API_ANONYMOUS},  # the proposer may not accept
        data=accept_data,
    ),
    Row(
        "api_decline",
        "POST",
        lambda w, u: f"/api/v1/meetings/{a_proposal(w, u)}/decline/",
        members_of_pair(200, mentor=400) | {"anonymous": API_ANONYMOUS},
        data=lambda w: {"reason": "Away"},
    ),
    Row(
        "api_move",
        "POST",
        lambda w, u: f"/api/v1/meetings/{a_meeting(w, u)}/move/",
        members_of_pair(200) | {"anonymous": API_ANONYMOUS},
        data=lambda w: {"start": _soon(6).isoformat(), "reason": "Clash"},
    ),
    Row(
        "api_cancel",
        "POST",
        lambda w, u: f"/api/v1/meetings/{a_meeting(w, u)}/cancel/",
        members_of_pair(200) | {"anonymous": API_ANONYMOUS},
        data=lambda w: {"reason": "Ill"},
    ),
    Row(
        "api_outcome",
        "POST",
        lambda w, u: f"/api/v1/meetings/{a_meeting(w, u)}/outcome/",
        members_of_pair(400) | {"anonymous": API_ANONYMOUS},  # members: refused in words before the start
        data=lambda w: {"outcome": "held"},
    ),
    # ---- the meeting's workspace: the members alone, present or past; never the managers
    Row(
        "save_text",
        "POST",
        meeting_url("notes/agenda"),
        members_of_pair(),
        data=lambda w: {"agenda-text": "Goals", "agenda-seen": ""},
    ),
    Row("save_text_unknown_field", "POST", meeting_url("notes/password"), only(set())),
    Row(
        "private_note",
        "POST",
        meeting_url("private-note"),
        members_of_pair(),
        data=lambda w: {"private-text": "x"},
    ),
    Row(
        "add_action",
        "POST",
        meeting_url("actions"),
        members_of_pair(),
        data=lambda w: {
            "action-text": "Read a book",
            "action-owner": str(w.mentee.public_id),
            "action-due_on": "",
        },
    ),
    Row(
        "action_done",
        "POST",
        lambda w, u: f"/actions/{an_action(w, u)}/done/",
        members_of_pair(),
        data=lambda w: {"done": "on"},
    ),
    Row("action_delete", "POST", lambda w, u: f"/actions/{an_action(w, u)}/delete/", members_of_pair()),
    # ---- messages: the pair's current members alone; never the managers nor an administrator
    Row("messages", "GET", lambda w, u: f"/mentorships/{a_mentorship(w, u)}/messages/", members_of_pair(200)),
    Row(
        "messages_send",
        "POST",
        lambda w, u: f"/mentorships/{a_mentorship(w, u)}/messages/",
        members_of_pair(),
        data=lambda w: {"body": "Hello"},
    ),
    Row(
        "messages_poll",
        "GET",
        lambda w, u: f"/mentorships/{a_mentorship(w, u)}/messages/new/",
        members_of_pair(204),  # nothing newer: htmx leaves the page as it is
    ),
    Row("messages_unread", "GET", url("/messages/unread/"), everyone(200)),
    Row(
        "api_messages",
        "GET",
        lambda w, u: f"/api/v1/mentorships/{a_mentorship(w, u)}/messages/",
        members_of_pair(200, anonymous=API_ANONYMOUS),
    ),
    Row(
        "api_messages_send",
        "POST",
        lambda w, u: f"/api/v1/mentorships/{a_mentorship(w, u)}/messages/",
        members_of_pair(201, anonymous=API_ANONYMOUS),
        data=lambda w: {"body": "Hello"},
    ),
    Row("guide", "GET", url(P + "/guide/"), managers_of_p()),
    # ---- the calendar feed: one's own page; the .ics answers whoever holds the token
    Row("feed", "GET", url("/calendar/feed/"), everyone(200)),
    Row("feed_new", "POST", url("/calendar/feed/new/"), everyone(302)),
    Row("feed_off", "POST", url("/calendar/feed/off/"), everyone(302)),
    Row("feed_ics", "GET", lambda w, u: f"/calendar/{a_feed(w, u)}.ics", everyone(200, anonymous=200)),
    Row("feed_ics_unknown", "GET", url("/calendar/not-a-token.ics"), everyone(404, anonymous=404)),
    Row("api_my_availability", "GET", url("/api/v1/me/availability/"), everyone(200, API_ANONYMOUS)),
    Row("precall", "GET", url("/meetings/check/"), everyone(200)),
    Row("precall_probe", "GET", url("/meetings/check/probe/?size=1000"), everyone(200)),
    # ---- self-select
    Row("recommendations", "GET", self_select, only({"mentee"})),
    Row("recommendations_manager_mode", "GET", url(A + "/mentors/"), only(set())),
    Row("recommendations_not_for_me", "POST", self_select, only({"mentee"}, 302), data=not_for_me_data),
    Row(
        "request_create",
        "POST",
        lambda w, u: self_select(w, u) + "ask/",
        only({"mentee"}, 302),
        data=ask_data,
    ),
    Row("request_create_get", "GET", lambda w, u: self_select(w, u) + "ask/", everyone(405)),
    Row("requests", "GET", url("/requests/"), everyone(200)),
    Row(
        "request_answer",
        "POST",
        lambda w, u: f"/requests/{mentor_request(w, u)}/answer/",
        only({"mentor"}, 302),
        data=lambda w: {"decision": "accept", "reply": "Welcome"},
    ),
    Row("api_tokens", "GET", url("/account/tokens/"), everyone(200)),
    Row(
        "api_token_new",
        "POST",
        url("/account/tokens/new/"),
        everyone(200),  # the page itself, showing the new key once
        data=lambda w: {"name": "Script", "days": "30"},
    ),
    Row(
        "api_token_revoke",
        "POST",
        lambda w, u: f"/account/tokens/{an_api_token(w, u)}/revoke/",
        only({"mentee"}, 302),
    ),
    Row(
        "request_withdraw",
        "POST",
        lambda w, u: f"/requests/{mentor_request(w, u)}/withdraw/",
        only({"mentee"}, 302),
    ),
    # ---- the development plan: goal titles and status for the program's team, the rest
    # (descriptions, milestones, progress comments) and the shared files for the pair alone
    Row("goals", "GET", plan_url("goals/"), sees_p()),
    Row("goal_add", "POST", plan_url("goals/"), members_of_pair(), data=lambda w: {"title": "Lead"}),
    Row(
        "goal_suggested",
        "POST",
        plan_url("goals/suggested/"),
        members_of_pair(),
        data=lambda w: {"sample": "0"},
    ),
    Row("goal", "GET", goal_url(), pair_only()),
    Row("goal_edit", "POST", goal_url("edit/"), members_of_pair(), data=lambda w: {"edit-title": "Renamed"}),
    Row(
        "goal_progress",
        "POST",
        goal_url("progress/"),
        members_of_pair(),
        data=lambda w: {"progress-progress": "10", "progress-status": "active", "progress-comment": "Moving"},
    ),
    Row(
        "milestone",
        "POST",
        milestone_url,
        members_of_pair(),
        data=lambda w: {"done": "1", "milestone": str(a_goal(w, w.mentee).milestones.get().pk)},
    ),
    Row("sample_goals", "GET", url(P + "/suggested-goals/"), managers_of_p()),
    Row("files", "GET", plan_url("files/"), pair_only()),
    Row(
        "link_add",
        "POST",
        plan_url("files/link/"),
        members_of_pair(),
        data=lambda w: {"link-url": "https://a.org"},
    ),
    Row(
        "file_upload",
        "POST",
        plan_url("files/upload/"),
        members_of_pair(),
        data=lambda w: {"upload-file": SimpleUploadedFile("a.txt", b"hello\n")},
    ),
    Row("file_download", "GET", lambda w, u: f"/files/{a_shared(w, u, 'file')}/", pair_only()),
    Row("shared_delete", "POST", lambda w, u: f"/files/{a_shared(w, u, 'link')}/delete/", members_of_pair()),
    Row("api_goals", "GET", plan_url("goals/", api=True), sees_p(anonymous=API_ANONYMOUS)),
    Row(
        "api_goal_add",
        "POST",
        plan_url("goals/", api=True),
        pair_only(201, api=True),
        data=lambda w: {"title": "G"},
    ),
    Row("api_goal", "GET", goal_url(api=True), pair_only(api=True)),
    Row("api_files", "GET", plan_url("files/", api=True), pair_only(api=True)),
    Row(
        "api_share",
        "POST",
        plan_url("files/", api=True),
        pair_only(201, api=True),
        data=lambda w: {"url": "https://example.org", "note": "n"},
    ),
    Row(
        "api_file_download",
        "GET",
        lambda w, u: f"/api/v1/files/{a_shared(w, u, 'file')}/",
        pair_only(api=True),
    ),
]


def _rows() -> list[Row]:
    return [item if isinstance(item, Row) else item.values[0] for item in ROWS]


def _cases() -> list[Any]:
    cases = []
    for item in ROWS:
        row, marks = (item, ()) if isinstance(item, Row) else (item.values[0], item.marks)
        for role in ROLES:
            bug = KNOWN_BUGS.get((row.name, role))
            found = (pytest.mark.xfail(strict=True, reason=bug),) if bug else ()
            cases.append(pytest.param(row, role, marks=(*found, *marks), id=f"{row.name}-{role}"))
    return cases


def test_it_names_every_row_once_with_every_role():
    names = [row.name for row in _rows()]
    assert len(names) == len(set(names))
    for row in _rows():
        assert set(row.expected) == set(ROLES), row.name


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "role"), _cases())
def test_it_enforces_the_matrix(client, row: Row, role: str):
    world = build_world()
    user = getattr(world, role)
    if user is not None:
        client.force_login(user)
    path = row.url(world, user)
    data = row.data(world) if row.data else {}
    request = client.post if row.method == "POST" else client.get
    response = request(path, data, headers=row.headers or {})

    expected = row.expected[role]
    where = f"{row.method} {path} as {role}"
    location = response.get("Location", "")
    if expected == LOGIN and "HX-Request" in (row.headers or {}):
        # htmx would swap the sign-in page into the fragment: it is told to go there instead
        assert response.status_code == 204, f"{where}: {response.status_code}, expected htmx sent to sign in"
        location = response["HX-Redirect"]
        assert location.startswith("/accounts/login/"), f"{where}: sent to {location}"
    elif expected == LOGIN:
        assert response.status_code == 302, f"{where}: {response.status_code}, expected a redirect to sign in"
        assert location.startswith("/accounts/login/"), f"{where}: redirected to {location}"
    elif isinstance(expected, frozenset):
        assert response.status_code in expected, f"{where}: {response.status_code}, expected {set(expected)}"
    else:
        assert response.status_code == expected, f"{where}: {response.status_code}, expected {expected}"
        if expected == 302:
            assert not location.startswith("/accounts/login/"), f"{where}: sent to sign in"


# ---------------------------------------------------------------- nothing forgotten

# Not Meridian pages: allauth's account pages and the Django admin (mounted under these
# routes, tested by their libraries) and the OpenAPI schema.
EXEMPT_ROUTES = ("accounts/", "django-admin/")
EXEMPT_NAMES = {"schema", "api:schema"}


def _patterns(patterns: list[Any], namespace: str = "", prefix: str = "") -> list[tuple[str, str]]:
    """(view name, route) of every URL pattern under ``patterns``."""
    found = []
    for pattern in patterns:
        route = f"{prefix}{pattern.pattern}"
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += _patterns(pattern.url_patterns, inner, route)
        elif isinstance(pattern, URLPattern):
            found.append((f"{namespace}{pattern.name}" if pattern.name else "", route))
    return found


@pytest.mark.django_db
def test_it_has_every_page_in_the_matrix():
    world = build_world()
    covered = set()
    unresolved = []
    for row in _rows():
        path = row.url(world, world.manager).split("?")[0]
        try:
            covered.add(resolve(path).view_name)
        except Resolver404:
            unresolved.append(f"{row.name} ({path})")
    assert not unresolved, f"Matrix rows whose URL matches no page (fix the row or the URL): {unresolved}"
    urls = [(n, r) for n, r in _patterns(get_resolver().url_patterns) if not r.startswith(EXEMPT_ROUTES)]
    unnamed = [route for name, route in urls if not name]
    assert not unnamed, f"Name these URL patterns and add them to the matrix: {unnamed}"
    missing = sorted(f"{n} ({r})" for n, r in urls if n not in EXEMPT_NAMES and n not in covered)
    assert not missing, f"Pages missing from the access matrix (add a row per role): {missing}"
