"""API for matching runs and mentorships: the same services and access rules as the pages.

Managers list a cohort's runs, start one (small runs answer finished, large ones
``queued``: poll the run), read its quality report and pairs, and publish it. Everyone
reads the mentorships they may see (their own; managers their programs')."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from matching_engine import CRITERIA, Mode, Objective
from meridian.api.errors import ErrorSerializer
from meridian.api.v1.closing import ClosureSummarySerializer
from meridian.api.v1.programs import BAD_FILTER, NOT_FOUND, PUBLIC_ID, _filters, _found
from meridian.core import permissions
from meridian.matching import adapter, selectors
from meridian.matching.models import MatchRun, Proposal
from meridian.matching.services.publishing import run_publish
from meridian.matching.services.runs import run_start
from meridian.mentorships.models import Member, Mentorship, MentorshipStatus
from meridian.mentorships.selectors import get_mentorship_for_user
from meridian.programs.selectors import get_cohort_for_user

# Serializers ---------------------------------------------------------------------


class MemberSerializer(serializers.ModelSerializer[Member]):
    id = serializers.UUIDField(source="user.public_id", read_only=True)
    name = serializers.CharField(source="user.name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    time_zone = serializers.CharField(source="user.time_zone", read_only=True)

    class Meta:
        model = Member
        fields = ("id", "name", "email", "time_zone", "role", "is_current")
        read_only_fields = fields


class MentorshipSerializer(serializers.ModelSerializer[Mentorship]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    program = serializers.UUIDField(source="program.public_id", read_only=True)
    cohort = serializers.UUIDField(source="cohort.public_id", read_only=True)
    members = MemberSerializer(many=True, read_only=True)
    closure = ClosureSummarySerializer(
        read_only=True, allow_null=True, help_text="How it ended; null while it runs."
    )

    class Meta:
        model = Mentorship
        fields: tuple[str, ...] = (
            "id",
            "program",
            "cohort",
            "kind",
            "status",
            "source",
            "started_on",
            "ended_on",
            "score",
            "why",
            "members",
            "closure",
        )
        read_only_fields = fields


class RunSerializer(serializers.ModelSerializer[MatchRun]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    cohort = serializers.UUIDField(source="cohort.public_id", read_only=True)
    based_on = serializers.UUIDField(source="based_on.public_id", read_only=True, allow_null=True)

    class Meta:
        model = MatchRun
        fields: tuple[str, ...] = (
            "id",
            "cohort",
            "number",
            "based_on",
            "settings",
            "status",
            "progress",
            "stage",
            "error",
            "mentees",
            "mentors",
            "matched",
            "total",
            "optimum",
            "upper_bound",
            "seconds",
            "created_at",
            "published_at",
        )
        read_only_fields = fields


class RunReportSerializer(RunSerializer):
    class Meta(RunSerializer.Meta):
        fields = (*RunSerializer.Meta.fields, "report")
        read_only_fields = fields


class PairSerializer(serializers.ModelSerializer[Proposal]):
    mentee = serializers.UUIDField(source="mentee.public_id", read_only=True)
    mentee_name = serializers.CharField(source="mentee.user.name", read_only=True)
    mentor = serializers.UUIDField(source="mentor.public_id", read_only=True)
    mentor_name = serializers.CharField(source="mentor.user.name", read_only=True)

    class Meta:
        model = Proposal
        fields: tuple[str, ...] = (
            "id",
            "mentee",
            "mentee_name",
            "mentor",
            "mentor_name",
            "score",
            "components",
            "evidence",
            "summary",
            "locked",
            "edited",
        )
        read_only_fields = fields


class WeightsInput(serializers.Serializer[Any]):
    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {
            name: serializers.FloatField(required=False, min_value=0, max_value=adapter.WEIGHT_RANGE[1])
            for name in CRITERIA
        }


class ConstraintsInput(serializers.Serializer[Any]):
    min_shared_hours = serializers.FloatField(required=False, min_value=0, max_value=40)
    require_common_language = serializers.BooleanField(required=False)
    separate_reporting_lines = serializers.BooleanField(required=False)
    separate_departments = serializers.BooleanField(required=False)


class RunInput(serializers.Serializer[Any]):
    """Settings missing here keep the cohort's last run's (else the defaults)."""

    cohort = serializers.UUIDField(help_text="The cohort's `id`.")
    weights = WeightsInput(required=False)
    constraints = ConstraintsInput(required=False)
    mode = serializers.ChoiceField(choices=[m.value for m in Mode], required=False)
    objective = serializers.ChoiceField(choices=[o.value for o in Objective], required=False)


class MentorshipFilters(serializers.Serializer[Any]):
    cohort = serializers.UUIDField(required=False, help_text="A cohort's `id`.")
    program = serializers.UUIDField(required=False, help_text="A program's `id`.")
    status = serializers.ChoiceField(choices=MentorshipStatus.choices, required=False, allow_blank=True)


class RunFilters(serializers.Serializer[Any]):
    cohort = serializers.UUIDField(required=False, help_text="A cohort's `id`.")


# Views ---------------------------------------------------------------------------


@extend_schema(
    summary="List mentorships",
    parameters=[MentorshipFilters],
    responses={200: MentorshipSerializer, 400: BAD_FILTER},
)
class MentorshipList(generics.ListAPIView[Mentorship]):
    """Mentorships the signed-in person may see: their own, and all of the programs they manage."""

    serializer_class = MentorshipSerializer

    def get_queryset(self) -> QuerySet[Mentorship]:
        filters = _filters(MentorshipFilters, self.request)
        rows = Mentorship.objects.visible_to(self.request.user)
        lookups = {"cohort": "cohort__public_id", "program": "program__public_id", "status": "status"}
        rows = rows.filter(**{lookups[k]: v for k, v in filters.items()})
        members = Member.objects.select_related("user")
        return (
            rows.select_related("program", "cohort", "closure")
            .prefetch_related(Prefetch("members", queryset=members))
            .order_by("-started_on", "pk")
        )


@extend_schema(
    summary="Read a mentorship", parameters=[PUBLIC_ID], responses={200: MentorshipSerializer, 404: NOT_FOUND}
)
class MentorshipDetail(generics.RetrieveAPIView[Mentorship]):
    """One mentorship, for its members, its program's managers and administrators."""

    serializer_class = MentorshipSerializer

    def get_object(self) -> Mentorship:
        return _found(get_mentorship_for_user, self.request, self.kwargs["public_id"])


@extend_schema(
    summary="List matching runs", parameters=[RunFilters], responses={200: RunSerializer, 400: BAD_FILTER}
)
class RunList(generics.ListCreateAPIView[MatchRun]):
    """Matching runs of the cohorts the signed-in person manages; POST starts one."""

    serializer_class = RunSerializer

    def get_queryset(self) -> QuerySet[MatchRun]:
        filters = _filters(RunFilters, self.request)
        managed = permissions.managed_programs_q(self.request.user, "cohort__program__")
        rows = MatchRun.objects.filter(managed).select_related("cohort", "based_on").defer("report")
        if "cohort" in filters:
            rows = rows.filter(cohort__public_id=filters["cohort"])
        return rows.order_by("-created_at", "pk")

    @extend_schema(
        summary="Start a matching run",
        request=RunInput,
        responses={
            201: RunSerializer,
            400: OpenApiResponse(ErrorSerializer, description="Bad settings: `fields` names them."),
            404: OpenApiResponse(
                ErrorSerializer, description="No such cohort among those the reader manages."
            ),
        },
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        given = RunInput(data=request.data)
        given.is_valid(raise_exception=True)
        data = given.validated_data
        cohort = _found(get_cohort_for_user, request, data["cohort"], write=True)  # its managers
        last = MatchRun.objects.filter(cohort=cohort).order_by("-number").first()
        settings = dict(last.settings) if last else adapter.default_settings(cohort)
        settings.pop("locked", None)
        settings["weights"] = {**settings.get("weights", {}), **data.get("weights", {})}
        settings["constraints"] = {**settings.get("constraints", {}), **data.get("constraints", {})}
        settings |= {k: data[k] for k in ("mode", "objective") if k in data}
        if not any(float(v) > 0 for v in settings["weights"].values()):
            raise ValidationError({"weights": ["Give at least one criterion a weight above zero."]})
        run = run_start(cohort=cohort, actor=request.user, settings=settings)  # type: ignore[arg-type]
        run.refresh_from_db()
        return Response(RunSerializer(run).data, status=status.HTTP_201_CREATED)


@extend_schema(
    summary="Read a run and its quality report",
    parameters=[PUBLIC_ID],
    responses={200: RunReportSerializer, 404: NOT_FOUND},
)
class RunDetail(generics.RetrieveAPIView[MatchRun]):
    """One run with its settings and quality report (coverage, scores, fairness,
    unmatched mentees with reasons, blocking pairs, the optimality certificate)."""

    serializer_class = RunReportSerializer

    def get_object(self) -> MatchRun:
        return _found(selectors.get_run_for_user, self.request, self.kwargs["public_id"])


@extend_schema(
    summary="List a run's proposed pairs",
    parameters=[PUBLIC_ID],
    responses={200: PairSerializer, 400: BAD_FILTER, 404: NOT_FOUND},
)
class RunPairs(generics.ListAPIView[Proposal]):
    """The run's proposed pairs, best first, each with its score broken down."""

    serializer_class = PairSerializer

    def get_queryset(self) -> QuerySet[Proposal]:
        run = _found(selectors.get_run_for_user, self.request, self.kwargs["public_id"])
        return run.proposals.select_related("mentee__user", "mentor__user").order_by("-score", "pk")


class PublishResult(serializers.Serializer[Any]):
    mentorships = serializers.IntegerField()
    mentees = serializers.IntegerField()
    skipped = serializers.IntegerField()


@extend_schema(
    summary="Publish a run",
    parameters=[PUBLIC_ID],
    request=None,
    responses={
        200: PublishResult,
        400: OpenApiResponse(ErrorSerializer, description="The run cannot be published: `message` says why."),
        404: NOT_FOUND,
        409: OpenApiResponse(
            ErrorSerializer, description="Someone in the run was matched at the same moment; nothing changed."
        ),
    },
)
class RunPublish(APIView):
    """Start the run's mentorships and email the introductions; publishing twice moves nobody twice."""

    def post(self, request: Request, public_id: UUID) -> Response:
        run = _found(selectors.get_run_for_user, request, public_id)
        done = run_publish(run=run, actor=request.user)  # type: ignore[arg-type]
        return Response(
            PublishResult(
                {"mentorships": done.mentorships, "mentees": done.mentees, "skipped": done.skipped}
            ).data
        )
