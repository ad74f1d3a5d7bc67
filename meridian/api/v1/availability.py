"""The signed-in person's weekly availability and working hours, in their own time zone.

Read it as canonical text and as a list of windows; replace it (PUT) or change parts of it
(PATCH) with either form. Everything is checked before anything is written, and a change of
time zone and of times is written together or not at all."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated, ParseError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from matching_engine import (
    MINUTES_PER_DAY,
    SLOT_MINUTES,
    WEEKDAYS,
    AvailabilityError,
    Window,
    format_availability,
    merge_windows,
    parse_availability,
    weekly_minutes,
)
from meridian.accounts.models import Profile, User
from meridian.accounts.weekgrid import WEEK_TEXT_MAX
from meridian.api.errors import ErrorSerializer
from meridian.core.timezones import zone_choices

# One window for every quarter hour of the week: more can only be repeats.
MAX_WINDOWS = 7 * MINUTES_PER_DAY // SLOT_MINUTES
WORKING_HOURS_MAX = Profile._meta.get_field("working_hours").max_length or WEEK_TEXT_MAX
TEXT_HELP = (
    "Weekly windows in the person's own time zone, `;`-separated: `Mon 09:00-12:00; Wed 14:00-17:30`. "
    "Days Mon..Sun, 24-hour times on 15-minute steps; a window may end at 24:00."
)
CLOCK = r"^[0-9]{2}:[0-9]{2}$"


def _reject_lone_surrogates(data: Any) -> None:
    """JSON may escape half a UTF-16 pair (``"\\ud800"``); such a string can be neither
    stored nor echoed in an error, so the whole body is refused first."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError:
                raise ParseError("The body holds a lone surrogate, which is not text.") from None


class WindowSerializer(serializers.Serializer[Any]):
    day = serializers.ChoiceField(choices=list(WEEKDAYS), help_text="Mon, Tue, Wed, Thu, Fri, Sat or Sun.")
    start = serializers.RegexField(
        CLOCK, max_length=5, help_text="`HH:MM`, 24-hour, on a 15-minute step (`09:15`)."
    )
    end = serializers.RegexField(
        CLOCK, max_length=5, help_text="`HH:MM` after `start`, on a 15-minute step; at most `24:00`."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # A PATCH makes every nested field optional; a window still needs all three.
        missing = {name: ["This field is required."] for name in ("day", "start", "end") if name not in attrs}
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class WindowListField(serializers.ListField):
    """Windows, each checked by the one parser; a bad one is named by its number (from 1)."""

    child = WindowSerializer()

    def to_internal_value(self, data: Any) -> list[Window]:
        if isinstance(data, str | dict) or not isinstance(data, list | tuple):
            self.fail("not_a_list", input_type=type(data).__name__)
        if len(data) > MAX_WINDOWS:
            raise serializers.ValidationError(f"At most {MAX_WINDOWS} windows ({len(data)} given).")
        windows: list[Window] = []
        problems: list[str] = []
        for number, item in enumerate(data, start=1):
            try:
                given = self.child.run_validation(item)
                windows.extend(parse_availability(f"{given['day']} {given['start']}-{given['end']}"))
            except serializers.ValidationError as exc:
                problems.append(f"window {number}: {_flat(exc.detail)}")
            except AvailabilityError as exc:
                problems.append(f"window {number}: {exc}")
        if problems:
            raise serializers.ValidationError(problems)
        return windows


def _flat(detail: Any) -> str:
    if isinstance(detail, dict):
        return "; ".join(f"{key}: {_flat(value)}" for key, value in detail.items())
    if isinstance(detail, list):
        return " ".join(_flat(item) for item in detail)
    return str(detail)


class AvailabilityInput(serializers.Serializer[Any]):
    """Give the times as `availability` text or as `windows`, not both."""

    availability = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=WEEK_TEXT_MAX,
        help_text=TEXT_HELP + " Empty: no times.",
    )
    windows = WindowListField(
        required=False,
        max_length=MAX_WINDOWS,
        help_text=f"The same times as a list (at most {MAX_WINDOWS}); overlapping windows are merged.",
    )
    working_hours = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=WORKING_HOURS_MAX,
        help_text="Usual working hours, in the same form. Empty means Mon-Fri 09:00-17:00.",
    )
    # An enum, not a pattern: only the list says which names are zones (a pattern would
    # promise that "Mars/Olympus" is accepted).
    time_zone = serializers.ChoiceField(
        choices=zone_choices(),
        required=False,
        error_messages={
            "invalid_choice": "“{input}” is not an IANA time zone; choose a name such as Europe/Berlin."
        },
        help_text="An IANA time zone name, e.g. `Asia/Kolkata`. The times keep their clock "
        "values: they are read in the new zone.",
    )

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if hasattr(data, "getlist"):  # a form (urlencoded or multipart), not JSON
            # DRF reads an empty form value of an optional field as "not given", and a
            # form cannot carry a list of windows (DRF would quietly drop it): both are
            # refused, as the schema's form body has no windows and a zone is a name.
            if "" in data.getlist("time_zone"):
                raise serializers.ValidationError(
                    {"time_zone": ["Give a time zone name, or leave the field out."]}
                )
            if any(key == "windows" or key.startswith("windows[") for key in data):
                raise serializers.ValidationError(
                    {
                        "windows": [
                            "Send windows in a JSON body; a form gives the times as `availability` text."
                        ]
                    }
                )
        return dict(super().to_internal_value(data))

    def validate_availability(self, value: str) -> str:
        return _canonical(value)

    def validate_working_hours(self, value: str) -> str:
        return _canonical(value)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "availability" in attrs and "windows" in attrs:
            raise serializers.ValidationError(
                {"windows": ["Give the times as `availability` or as `windows`, not both."]}
            )
        if not self.partial and "availability" not in attrs and "windows" not in attrs:
            raise serializers.ValidationError(
                {"availability": ["Give the times as `availability` text or as `windows`."]}
            )
        if "windows" in attrs:
            attrs["availability"] = format_availability(merge_windows(attrs.pop("windows")))
            if len(attrs["availability"]) > WEEK_TEXT_MAX:  # pragma: no cover - MAX_WINDOWS keeps it short
                raise serializers.ValidationError({"windows": ["Too many windows."]})
        return attrs


class AvailabilityFormInput(AvailabilityInput):
    """Give the times as `availability` text (windows need a JSON body)."""

    windows = None  # type: ignore[assignment]


def _canonical(value: str) -> str:
    try:
        return format_availability(parse_availability(value))
    except AvailabilityError as exc:
        raise serializers.ValidationError(str(exc)) from None


class WindowOutput(serializers.Serializer[Any]):
    day = serializers.ChoiceField(choices=list(WEEKDAYS))
    start = serializers.CharField(help_text="`HH:MM`.")
    end = serializers.CharField(help_text="`HH:MM`; `24:00` is the end of the day.")


class AvailabilityOutput(serializers.Serializer[Any]):
    time_zone = serializers.CharField(help_text="The IANA zone all the times are in.")
    availability = serializers.CharField(help_text=TEXT_HELP + " Canonical: sorted and merged.")
    windows = WindowOutput(many=True, help_text="The same times as a list.")
    working_hours = serializers.CharField(
        help_text="Usual working hours, in the same form. Empty means Mon-Fri 09:00-17:00."
    )
    weekly_minutes = serializers.IntegerField(help_text="Minutes of availability in a week.")


REQUEST = {
    "application/json": AvailabilityInput,
    "application/x-www-form-urlencoded": AvailabilityFormInput,
    "multipart/form-data": AvailabilityFormInput,
}
BAD_INPUT = OpenApiResponse(
    ErrorSerializer,
    description="A field is not valid: `fields` names it and the bad window. Beside the schema, "
    "the text is read by the rules in `availability`'s description (a known day, each window's end "
    "after its start, 15-minute steps, up to 24:00), and PUT needs `availability` or `windows`, "
    "PUT and PATCH not both.",
)


def _me(request: Request) -> User:
    if not isinstance(request.user, User):
        raise NotAuthenticated
    return request.user


def _profile(user: User) -> Profile:
    profile, _created = Profile.objects.get_or_create(user=user)
    return profile


def _output(user: User, profile: Profile) -> dict[str, Any]:
    try:
        windows = parse_availability(profile.availability)
    except AvailabilityError:  # older data the parser no longer reads: shown as text only
        windows = ()
    return {
        "time_zone": user.time_zone,
        "availability": format_availability(windows) if windows else profile.availability,
        "windows": [
            {"day": WEEKDAYS[w.weekday], "start": _clock(w.start), "end": _clock(w.end)} for w in windows
        ],
        "working_hours": profile.working_hours,
        "weekly_minutes": weekly_minutes(windows),
    }


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@transaction.atomic
def _save(user: User, data: dict[str, Any]) -> Profile:
    profile = _profile(user)
    changed = [name for name in ("availability", "working_hours") if name in data]
    for name in changed:
        setattr(profile, name, data[name])
    if changed:
        profile.save(update_fields=[*changed, "updated_at"])
    if "time_zone" in data:
        user.time_zone = data["time_zone"]
        user.save(update_fields=["time_zone"])
    return profile


class MyAvailability(APIView):
    """When the signed-in person can meet, and their working hours, in their own time zone."""

    @extend_schema(summary="Read my availability", responses={200: AvailabilityOutput})
    def get(self, request: Request) -> Response:
        user = _me(request)
        return Response(AvailabilityOutput(_output(user, _profile(user))).data)

    @extend_schema(
        summary="Replace my availability",
        request=REQUEST,
        responses={200: AvailabilityOutput, 400: BAD_INPUT},
    )
    def put(self, request: Request) -> Response:
        """Replace the times (`availability` or `windows`); `working_hours` and `time_zone`
        change only when given."""
        return self._write(request, partial=False)

    @extend_schema(
        summary="Change my availability",
        request=REQUEST,
        responses={200: AvailabilityOutput, 400: BAD_INPUT},
    )
    def patch(self, request: Request) -> Response:
        """Change only the fields given."""
        return self._write(request, partial=True)

    def _write(self, request: Request, *, partial: bool) -> Response:
        user = _me(request)
        try:
            data = request.data
        except RecursionError:  # DRF's JSON parser lets this through as a 500
            raise ParseError("The JSON is nested too deeply.") from None
        _reject_lone_surrogates(data)
        given = AvailabilityInput(data=data, partial=partial)
        given.is_valid(raise_exception=True)
        profile = _save(user, given.validated_data)
        return Response(AvailabilityOutput(_output(user, profile)).data)
