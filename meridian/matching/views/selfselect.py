"""Self-select pages: a mentee's recommended mentors (ask some, rule one out) and their
requests; everyone's requests page, where a mentor answers and a mentee withdraws."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meridian.accounts.http import AuthedRequest
from meridian.core.errors import MeridianError, show_error
from meridian.core.redirects import next_url
from meridian.matching import selectors, selfselect
from meridian.matching.models import MentorRequest
from meridian.matching.selfselect_forms import NOT_FOR_ME_REASONS, AnswerForm, NotForMeForm, RequestForm
from meridian.programs.models import Enrollment


@login_required
@require_http_methods(["GET", "POST"])
def recommendations(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    mentee = selectors.get_mentee_enrollment_for_user(request.user, public_id, write=True)
    if request.method == "POST":
        return _not_for_me(request, mentee)
    return _mentee_page(request, mentee, RequestForm())


def _mentee_page(request: AuthedRequest, mentee: Enrollment, form: RequestForm) -> HttpResponse:
    chosen = set(getattr(form, "cleaned_data", {}).get("mentor") or [])
    return render(
        request,
        "matching/recommendations.html",
        {
            "page": selfselect.mentee_page(mentee),
            "mentee": mentee,
            "cohort": mentee.cohort,
            "program": mentee.cohort.program,
            "form": form,
            "chosen": chosen,
            "reasons": NOT_FOR_ME_REASONS,
        },
    )


def _not_for_me(request: AuthedRequest, mentee: Enrollment) -> HttpResponse:
    form = NotForMeForm(request.POST)
    found = selfselect.cohort_mentors(mentee, [str(form.cleaned_data["mentor"])]) if form.is_valid() else []
    if not found:
        messages.error(request, _("Choose a mentor of your cohort and a reason."))
    else:
        selfselect.mentor_exclude(mentee=mentee, mentor=found[0])
        messages.success(
            request,
            _("You will not be matched with %(name)s, and they are not told.") % {"name": found[0].user.name},
        )
    return redirect("matching:recommendations", mentee.cohort.public_id)


@login_required
@require_POST
def request_create(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    mentee = selectors.get_mentee_enrollment_for_user(request.user, public_id, write=True)
    form = RequestForm(request.POST)
    if form.is_valid():
        wanted = set(form.cleaned_data["mentor"])
        mentors = selfselect.cohort_mentors(mentee, sorted(wanted))
        try:
            if len(mentors) != len(wanted):
                raise MeridianError(_("One of the mentors you ticked is no longer in this cohort."))
            made = selfselect.requests_create(
                mentee=mentee, mentors=mentors, message=form.cleaned_data["message"]
            )
        except MeridianError as error:
            show_error(request, error, form)
        else:
            names = ", ".join(r.mentor.user.name for r in made)
            days = mentee.cohort.program.answer_days
            messages.success(
                request,
                ngettext(
                    "Your request is on its way to %(names)s, who has %(days)d days to answer.",
                    "Your requests are on their way to %(names)s, who have %(days)d days to answer.",
                    len(made),
                )
                % {"names": names, "days": days},
            )
            return redirect("matching:recommendations", mentee.cohort.public_id)
    return _mentee_page(request, mentee, form)


@login_required
@require_GET
def requests(request: AuthedRequest) -> HttpResponse:
    return _requests_page(request)


def _requests_page(
    request: AuthedRequest, failed: MentorRequest | None = None, form: AnswerForm | None = None
) -> HttpResponse:
    return render(
        request,
        "matching/requests.html",
        {
            "page": selfselect.requests_page(request.user),
            "failed_pk": failed.pk if failed else None,
            "failed_form": form,
        },
    )


@login_required
@require_POST
def request_answer(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    mentor_request = selectors.get_request_for_user(request.user, public_id, write=True, as_role="mentor")
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _requests_page(request, mentor_request, form)
    decision, reply, name = (
        form.cleaned_data["decision"],
        form.cleaned_data["reply"],
        mentor_request.mentee.user.name,
    )
    try:
        if decision == "accept":
            selfselect.request_accept(mentor_request=mentor_request, reply=reply)
        else:
            selfselect.request_decline(mentor_request=mentor_request, reply=reply, never=decision == "never")
    except MeridianError as error:
        show_error(request, error)
    else:
        done = {
            "accept": _("You are now mentoring %(name)s. We have told them."),
            "decline": _("You declined %(name)s's request. We have told them."),
            "never": _("You declined %(name)s's request; you will never be matched together."),
        }
        messages.success(request, done[decision] % {"name": name})
    return redirect("matching:requests")


@login_required
@require_POST
def request_withdraw(request: AuthedRequest, public_id: UUID) -> HttpResponse:
    mentor_request = selectors.get_request_for_user(request.user, public_id, write=True, as_role="mentee")
    try:
        selfselect.request_withdraw(mentor_request=mentor_request)
    except MeridianError as error:
        show_error(request, error)
    else:
        messages.success(
            request, _("You withdrew your request to %(name)s.") % {"name": mentor_request.mentor.user.name}
        )
    back = reverse("matching:recommendations", args=[mentor_request.cohort.public_id])
    return redirect(next_url(request, reverse("matching:requests"), under=back))
