"""API for the development plan: the same services and access rules as the pages.

The pair lists, creates and reads goals in full and updates their progress; the
program's managers list each goal's title and status only (activity, not content)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meridian.api.errors import ErrorSerializer
from meridian.api.v1.programs import NOT_FOUND, PUBLIC_ID
from meridian.core import permissions
from meridian.mentorships import goals, selectors
from meridian.mentorships.models import Goal, GoalStatus, Mentorship

REFUSED = OpenApiResponse(
    ErrorSerializer, description="Not valid (`fields` names the field) or refused (`message` says why)."
)


class MilestoneSerializer(serializers.Serializer[Any]):
    title = serializers.CharField()
    done = serializers.SerializerMethodField()

    def get_done(self, milestone: Any) -> bool:
        return milestone.done_at is not None


class UpdateSerializer(serializers.Serializer[Any]):
    progress = serializers.IntegerField()
    status = serializers.CharField()
    comment = serializers.CharField()
    author = serializers.SerializerMethodField()
    at = serializers.DateTimeField(source="created_at")

    def get_author(self, update: Any) -> str:
        return update.author.name if update.author else ""


class GoalTitleSerializer(serializers.ModelSerializer[Goal]):
    """What the program's managers see: the title and the status."""

    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Goal
        fields: tuple[str, ...] = ("id", "title", "status")
        read_only_fields = fields


class GoalSerializer(GoalTitleSerializer):
    """The goal in full, for the pair."""

    milestones = MilestoneSerializer(many=True, read_only=True)
    updates = serializers.SerializerMethodField(help_text="The progress history, newest first.")

    class Meta:
        model = Goal
        fields: tuple[str, ...] = (
            "id",
            "title",
            "status",
            "description",
            "target_on",
            "progress",
            "milestones",
            "updates",
        )
        read_only_fields = fields

    def get_updates(self, goal: Goal) -> list[dict[str, Any]]:
        if not self.context.get("with_history"):
            return []
        return list(UpdateSerializer(goals.history_of(goal), many=True).data)


class GoalInputSerializer(serializers.Serializer[Any]):
    title = serializers.CharField(max_length=goals.MAX_TITLE)
    description = serializers.CharField(max_length=goals.MAX_DESCRIPTION, required=False, allow_blank=True)
    target_on = serializers.DateField(required=False, allow_null=True)
    milestones = serializers.ListField(
        child=serializers.CharField(max_length=goals.MAX_TITLE),
        max_length=goals.MAX_MILESTONES,
        required=False,
        help_text="Milestone titles, in order.",
    )


class ProgressInputSerializer(serializers.Serializer[Any]):
    progress = serializers.IntegerField(min_value=0, max_value=100)
    comment = serializers.CharField(max_length=goals.MAX_COMMENT, help_text="What changed, in a few words.")
    status = serializers.ChoiceField(choices=GoalStatus.choices, required=False)


def _mentorship(request: Request, public_id: str) -> Mentorship:
    try:
        return selectors.get_mentorship_for_user(request.user, goals.parse_public_id(public_id))
    except Http404 as error:
        raise NotFound from error


def _goal(request: Request, public_id: str, *, write: bool = False) -> Goal:
    try:
        return selectors.get_goal_for_user(request.user, public_id, write=write)
    except Http404 as error:
        raise NotFound from error


def _valid(serializer_class: type[serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class MentorshipGoals(APIView):
    """The goals of a mentorship: in full for the pair, title and status for its managers."""

    @extend_schema(
        summary="List a mentorship's goals",
        parameters=[PUBLIC_ID],
        responses={200: GoalSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, public_id: str) -> Response:
        mentorship = _mentorship(request, public_id)
        full = permissions.in_the_pair(request.user, mentorship)
        if not full and not permissions.may_see_goal_titles(request.user, mentorship):
            raise NotFound
        rows = goals.goals_of(mentorship, full=full)
        serializer = GoalSerializer if full else GoalTitleSerializer
        return Response(serializer(rows, many=True).data)

    @extend_schema(
        summary="Add a goal",
        parameters=[PUBLIC_ID],
        request=GoalInputSerializer,
        responses={201: GoalSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    def post(self, request: Request, public_id: str) -> Response:
        mentorship = _mentorship(request, public_id)
        if not permissions.takes_part(request.user, mentorship):
            raise NotFound
        data = _valid(GoalInputSerializer, request)
        given = goals.GoalInput(
            data["title"], data.get("description", ""), data.get("target_on"), data.get("milestones", [])
        )
        goal = goals.goal_create(mentorship=mentorship, user=request.user, data=given)  # refusals: api.errors
        fresh = selectors.get_goal_for_user(request.user, goal.public_id)
        return Response(GoalSerializer(fresh).data, status=status.HTTP_201_CREATED)


class GoalDetail(APIView):
    """One goal in full with its progress history, for the pair."""

    @extend_schema(
        summary="Read a goal", parameters=[PUBLIC_ID], responses={200: GoalSerializer, 404: NOT_FOUND}
    )
    def get(self, request: Request, public_id: str) -> Response:
        goal = _goal(request, public_id)
        return Response(GoalSerializer(goal, context={"with_history": True}).data)

    @extend_schema(
        summary="Update a goal's progress",
        description="Moves the goal to `progress` with a short comment (one line of its history).",
        parameters=[PUBLIC_ID],
        request=ProgressInputSerializer,
        responses={200: GoalSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    def patch(self, request: Request, public_id: str) -> Response:
        goal = _goal(request, public_id, write=True)
        data = _valid(ProgressInputSerializer, request)
        goals.goal_progress(
            goal=goal,
            user=request.user,
            progress=data["progress"],
            comment=data["comment"],
            status=data.get("status", ""),
        )
        fresh = selectors.get_goal_for_user(request.user, goal.public_id)
        return Response(GoalSerializer(fresh, context={"with_history": True}).data)
