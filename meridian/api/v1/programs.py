"""Read API for programs, cohorts and enrolments.

An adapter: the same ``visible_to(user)`` querysets and access choke points as the
pages (``core/permissions.py``, ``programs/selectors.py``); no access rule lives here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from uuid import UUID

from django.db.models import Q, QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from meridian.api.errors import ErrorSerializer
from meridian.core import permissions
from meridian.core.paging import fetch_in_order
from meridian.programs import selectors
from meridian.programs.models import (
    Cohort,
    CohortStatus,
    Enrollment,
    EnrollmentStatus,
    Program,
    Role,
)

T = TypeVar("T")
PUBLIC_ID = OpenApiParameter(
    "public_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The object's `id`."
)


# Output serializers ---------------------------------------------------------------


class ProgramSerializer(serializers.ModelSerializer[Program]):
    id = serializers.UUIDField(source="public_id", read_only=True)

    class Meta:
        model = Program
        fields = ("id", *Program.SETTINGS)
        read_only_fields = fields


class CohortSerializer(serializers.ModelSerializer[Cohort]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    program = serializers.UUIDField(source="program.public_id", read_only=True)

    class Meta:
        model = Cohort
        fields = ("id", "program", "name", "slug", "starts_on", "ends_on", "status")
        read_only_fields = fields


class PersonSerializer(serializers.Serializer[Enrollment]):
    """The person of an enrolment. ``email`` and ``department`` are null unless the
    reader manages the program, is an administrator, or is that person."""

    id = serializers.UUIDField(source="user.public_id", read_only=True)
    name = serializers.CharField(source="user.name", read_only=True)
    email = serializers.SerializerMethodField()
    time_zone = serializers.CharField(source="user.time_zone", read_only=True)
    title = serializers.SerializerMethodField()
    department = serializers.SerializerMethodField()

    @extend_schema_field(serializers.EmailField(allow_null=True))
    def get_email(self, enrollment: Enrollment) -> str | None:
        return enrollment.user.email if self._sees_private(enrollment) else None

    @extend_schema_field(OpenApiTypes.STR)
    def get_title(self, enrollment: Enrollment) -> str:
        return str(_profile_value(enrollment, "title"))

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_department(self, enrollment: Enrollment) -> str | None:
        return str(_profile_value(enrollment, "department")) if self._sees_private(enrollment) else None

    def _sees_private(self, enrollment: Enrollment) -> bool:
        return permissions.may_see_contact(
            self.context["request"].user,
            person_id=enrollment.user_id,
            program_id=enrollment.cohort.program_id,
            managed_ids=self.context["managed_program_ids"],
        )


def _profile_value(enrollment: Enrollment, name: str) -> object:
    profile = getattr(enrollment.user, "profile", None)  # a person may have no profile yet
    return getattr(profile, name, "") if profile is not None else ""


class EnrollmentSerializer(serializers.ModelSerializer[Enrollment]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    cohort = serializers.UUIDField(source="cohort.public_id", read_only=True)
    program = serializers.UUIDField(source="cohort.program.public_id", read_only=True)
    person = PersonSerializer(source="*", read_only=True)

    class Meta:
        model = Enrollment
        fields = ("id", "cohort", "program", "role", "status", "capacity", "created_at", "person")
        read_only_fields = fields


NOT_FOUND = OpenApiResponse(ErrorSerializer, description="Absent, or not visible to the reader.")
BAD_FILTER = OpenApiResponse(ErrorSerializer, description="A filter or paging value is not valid.")


# Input (filter) serializers: bad values answer 400 in the API's one error shape -----


class CohortFilters(serializers.Serializer[Any]):
    program = serializers.UUIDField(required=False, help_text="A program's `id`.")
    status = serializers.ChoiceField(choices=CohortStatus.choices, required=False, allow_blank=True)


class EnrollmentFilters(serializers.Serializer[Any]):
    cohort = serializers.UUIDField(required=False, help_text="A cohort's `id`.")
    program = serializers.UUIDField(required=False, help_text="A program's `id`.")
    role = serializers.ChoiceField(choices=Role.choices, required=False, allow_blank=True)
    status = serializers.ChoiceField(choices=EnrollmentStatus.choices, required=False, allow_blank=True)
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Part of a name or email."
    )


def _filters(serializer_class: type[serializers.Serializer[Any]], request: Request) -> dict[str, Any]:
    """The validated, non-empty query parameters; raises ValidationError (400)."""
    filters = serializer_class(data=request.query_params)
    # DRF reads an empty query value as "not given"; the schema says an id or a date
    # is one, so an empty one is refused (blank is allowed where the schema lists "").
    blank = [
        name
        for name, field in filters.fields.items()
        if request.query_params.get(name) == "" and not getattr(field, "allow_blank", False)
    ]
    if blank:
        raise ValidationError({name: ["Give a value, or leave the parameter out."] for name in blank})
    filters.is_valid(raise_exception=True)
    return {name: value for name, value in filters.validated_data.items() if value not in ("", None)}


# Reads --------------------------------------------------------------------------


def cohort_rows(user: Any, *, program: Any = None, status: str = "") -> QuerySet[Cohort]:
    rows = Cohort.objects.visible_to(user).select_related("program")
    if program:
        rows = rows.filter(program__public_id=program)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("starts_on", "name", "pk")


def enrollment_rows(user: Any, **filters: Any) -> QuerySet[Enrollment]:
    lookups = {"cohort": "cohort__public_id", "program": "cohort__program__public_id"}
    lookups |= {"role": "role", "status": "status"}
    rows = Enrollment.objects.visible_to(user)
    rows = rows.filter(**{lookups[name]: value for name, value in filters.items() if name in lookups})
    if query := filters.get("q"):
        rows = rows.filter(_search(user, query))
    return rows.order_by("-created_at", "pk")


def _search(user: Any, query: str) -> Q:
    """Names always; emails only where the reader may see them, so that a search
    cannot be used to guess a fellow participant's address."""
    sees_email = Q(user=user) | Q(cohort__program__in=Program.objects.managed_by(user).values("pk"))
    return Q(user__name__icontains=query) | (Q(user__email__icontains=query) & sees_email)


def _found(get_for_user: Callable[..., T], request: Request, public_id: UUID, *, write: bool = False) -> T:
    """A selectors choke point, its Http404 raised as the API's ``not_found`` error."""
    try:
        return get_for_user(request.user, public_id, write=write)
    except Http404 as error:
        raise NotFound from error


def managed_program_ids(user: Any, enrollments: Iterable[Enrollment]) -> frozenset[int]:
    """Which of these enrolments' programs ``user`` manages: one query for a whole page
    (the queryset form of ``permissions.may_manage_program``)."""
    ids = {enrollment.cohort.program_id for enrollment in enrollments}
    managed = Program.objects.managed_by(user).filter(pk__in=ids)
    return frozenset(managed.values_list("pk", flat=True))


# Views: one class per operation ---------------------------------------------------


@extend_schema(summary="List programs", responses={200: ProgramSerializer, 400: BAD_FILTER})
class ProgramList(generics.ListAPIView[Program]):
    """Programs the signed-in person may see: those they manage or take part in, and
    every program with a cohort open for applications."""

    serializer_class = ProgramSerializer

    def get_queryset(self) -> QuerySet[Program]:
        return Program.objects.visible_to(self.request.user).order_by("-starts_on", "name", "pk")


@extend_schema(
    summary="Read a program", parameters=[PUBLIC_ID], responses={200: ProgramSerializer, 404: NOT_FOUND}
)
class ProgramDetail(generics.RetrieveAPIView[Program]):
    """One program, if the signed-in person may see it (404 otherwise)."""

    serializer_class = ProgramSerializer

    def get_object(self) -> Program:
        return _found(selectors.get_program_for_user, self.request, self.kwargs["public_id"])


@extend_schema(
    summary="List cohorts", parameters=[CohortFilters], responses={200: CohortSerializer, 400: BAD_FILTER}
)
class CohortList(generics.ListAPIView[Cohort]):
    """Cohorts the signed-in person may see: of programs they manage, cohorts they are
    enrolled in, and cohorts open for applications."""

    serializer_class = CohortSerializer

    def get_queryset(self) -> QuerySet[Cohort]:
        return cohort_rows(self.request.user, **_filters(CohortFilters, self.request))


@extend_schema(
    summary="Read a cohort", parameters=[PUBLIC_ID], responses={200: CohortSerializer, 404: NOT_FOUND}
)
class CohortDetail(generics.RetrieveAPIView[Cohort]):
    """One cohort, if the signed-in person may see it (404 otherwise)."""

    serializer_class = CohortSerializer

    def get_object(self) -> Cohort:
        return _found(selectors.get_cohort_for_user, self.request, self.kwargs["public_id"])


@extend_schema(
    summary="List enrolments",
    parameters=[EnrollmentFilters],
    responses={200: EnrollmentSerializer, 400: BAD_FILTER},
)
class EnrollmentList(generics.ListAPIView[Enrollment]):
    """Enrolments the signed-in person may see: all of the programs they manage, their
    own, and the approved members of their cohorts. Emails and departments are shown
    only to the program's managers, administrators and the person themself."""

    serializer_class = EnrollmentSerializer

    def get_queryset(self) -> QuerySet[Enrollment]:
        return enrollment_rows(self.request.user, **_filters(EnrollmentFilters, self.request))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Page over ids, then fetch the page's rows with their joins (see core.paging).
        ids = self.paginate_queryset(self.get_queryset().values_list("pk", flat=True))
        assert ids is not None, "the API always paginates lists"
        page = fetch_in_order(ids, Enrollment.objects.select_related("cohort__program", "user__profile"))
        context = {
            **self.get_serializer_context(),
            "managed_program_ids": managed_program_ids(request.user, page),
        }
        return self.get_paginated_response(EnrollmentSerializer(page, many=True, context=context).data)


@extend_schema(
    summary="Read an enrolment", parameters=[PUBLIC_ID], responses={200: EnrollmentSerializer, 404: NOT_FOUND}
)
class EnrollmentDetail(generics.RetrieveAPIView[Enrollment]):
    """One enrolment, if the signed-in person may see it (404 otherwise)."""

    serializer_class = EnrollmentSerializer

    def get_object(self) -> Enrollment:
        return _found(selectors.get_enrollment_for_user, self.request, self.kwargs["public_id"])

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        enrollment = self.get_object()
        program = enrollment.cohort.program
        managed = (
            frozenset({program.pk}) if permissions.may_manage_program(request.user, program) else frozenset()
        )
        context = {**self.get_serializer_context(), "managed_program_ids": managed}
        return Response(EnrollmentSerializer(enrollment, context=context).data)
