from __future__ import annotations

from django.urls import path

from meridian.matching.views import rematch, review, runs
from meridian.matching.views import selfselect as self_select

app_name = "matching"

urlpatterns = [
    path("cohorts/<uuid:public_id>/matching/", runs.cohort_matching, name="cohort"),
    path("runs/<uuid:public_id>/", review.run_review, name="run"),
    path("runs/<uuid:public_id>/progress/", runs.run_progress, name="progress"),
    path("runs/<uuid:public_id>/rerun/", runs.run_rerun, name="rerun"),
    path("runs/<uuid:public_id>/publish/", runs.run_publish, name="publish"),
    path("runs/<uuid:public_id>/compare/", runs.run_compare, name="compare"),
    path("runs/<uuid:public_id>/why-not/", review.why_not, name="why_not"),
    path("runs/<uuid:public_id>/move/", review.move, name="move"),
    path("runs/<uuid:public_id>/swap/", review.swap, name="swap"),
    path("runs/<uuid:public_id>/pairs/<uuid:mentee_id>/lock/", review.lock, name="lock"),
    path("runs/<uuid:public_id>/pairs/<uuid:mentee_id>/exclude/", review.exclude, name="exclude"),
    path("runs/<uuid:public_id>/pairs/<uuid:mentee_id>/unmatch/", review.unmatch, name="unmatch"),
    path("runs/<uuid:public_id>/pairs/<uuid:mentee_id>/swaps/", review.swaps, name="swaps"),
    # re-matching a mentee whose mentorship ended early (the program's managers)
    path("rematch/<uuid:public_id>/", rematch.rematch_page, name="rematch"),
    # self-select: the pages for mentees and mentors
    path("cohorts/<uuid:public_id>/mentors/", self_select.recommendations, name="recommendations"),
    path("cohorts/<uuid:public_id>/mentors/ask/", self_select.request_create, name="request_create"),
    path("requests/", self_select.requests, name="requests"),
    path("requests/<uuid:public_id>/answer/", self_select.request_answer, name="request_answer"),
    path("requests/<uuid:public_id>/withdraw/", self_select.request_withdraw, name="request_withdraw"),
]
