"""Addresses of the development plan and the shared links and files (in the
``mentorships`` namespace: urls.py adds them to its own)."""

from __future__ import annotations

from django.urls import path

from meridian.mentorships.views import files, goals

urlpatterns = [
    path("mentorships/<uuid:public_id>/goals/", goals.goal_list, name="goals"),
    path("mentorships/<uuid:public_id>/goals/suggested/", goals.goal_suggested, name="goal_suggested"),
    path("goals/<uuid:public_id>/", goals.goal_detail, name="goal"),
    path("goals/<uuid:public_id>/edit/", goals.goal_edit, name="goal_edit"),
    path("goals/<uuid:public_id>/progress/", goals.goal_progress, name="goal_progress"),
    path("goals/<uuid:public_id>/milestones/", goals.milestone_mark, name="milestone"),
    path("programs/<uuid:public_id>/suggested-goals/", goals.sample_goals, name="sample_goals"),
    path("mentorships/<uuid:public_id>/files/", files.file_list, name="files"),
    path("mentorships/<uuid:public_id>/files/link/", files.link_add, name="link_add"),
    path("mentorships/<uuid:public_id>/files/upload/", files.file_upload, name="file_upload"),
    path("files/<uuid:public_id>/", files.file_download, name="file_download"),
    path("files/<uuid:public_id>/delete/", files.item_delete, name="shared_delete"),
]
