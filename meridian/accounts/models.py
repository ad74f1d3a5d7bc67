"""People: the user account (identity, zone) and the profile that matching reads."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar, cast

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meridian.core.models import TimeStampedModel
from meridian.core.timezones import validate_time_zone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Administrators are ``is_staff``; program managers,
    mentors and mentees are roles per program (see ``programs``)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    is_staff = models.BooleanField(_("administrator"), default=False)
    can_create_programs = models.BooleanField(
        _("may create programs"),
        default=False,
        help_text=_("A program manager who may start new programs (administrators always may)."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["name"]

    class Meta:
        ordering = ("name",)
        indexes: ClassVar = [models.Index(Lower("name"), name="user_name_lower")]

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def is_administrator(self) -> bool:
        return self.is_active and self.is_staff

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email


class Seniority(models.IntegerChoices):
    ENTRY = 1, _("1 · Entry")
    JUNIOR = 2, _("2 · Junior")
    ASSOCIATE = 3, _("3 · Associate")
    INTERMEDIATE = 4, _("4 · Intermediate")
    SENIOR = 5, _("5 · Senior")
    LEAD = 6, _("6 · Lead")
    PRINCIPAL = 7, _("7 · Principal")
    DIRECTOR = 8, _("8 · Director")
    VICE_PRESIDENT = 9, _("9 · Vice-president")
    EXECUTIVE = 10, _("10 · Executive")


class Profile(TimeStampedModel):
    """What matching needs to know about a person (shared/PARTICIPANTS-CSV.md)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    external_id = models.CharField(_("id in the HR system"), max_length=100, blank=True)
    title = models.CharField(_("job title"), max_length=200, blank=True)
    department = models.CharField(_("department"), max_length=200, blank=True)
    manager = models.ForeignKey(
        User,
        verbose_name=_("manager"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    seniority = models.PositiveSmallIntegerField(
        _("seniority"),
        null=True,
        blank=True,
        choices=Seniority.choices,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    bio = models.TextField(_("about me"), blank=True, max_length=2000)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    skills_offered = models.JSONField(_("skills I can offer"), default=list, blank=True)
    skills_wanted = models.JSONField(_("skills I want to grow"), default=list, blank=True)
    interests = models.JSONField(_("interests"), default=list, blank=True)
    values = models.JSONField(_("values"), default=list, blank=True)
    goals = models.TextField(_("goals"), blank=True, max_length=2000)
    channels = models.JSONField(_("preferred channels"), default=list, blank=True)
    availability = models.TextField(
        _("weekly availability"),
        blank=True,
        help_text=_("In your own time zone, e.g. “Mon 09:00-12:00; Wed 14:00-17:30”."),
    )
    working_hours = models.TextField(
        _("working hours"),
        blank=True,
        max_length=2000,
        help_text=_("In your own time zone, same form; empty means Mon-Fri 09:00-17:00."),
    )
    phone = models.CharField(
        _("phone number"),
        max_length=32,
        blank=True,
        help_text=_("Shown only to the people you are matched with, for phone meetings."),
    )
    video_link = models.URLField(
        _("my meeting link"),
        max_length=500,
        blank=True,
        help_text=_("Your personal Zoom, Teams or Google Meet link, if you prefer it to a new room."),
    )

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~models.Q(external_id=""),
                name="profile_external_id_unique",
            )
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    MATCHING_FIELDS: ClassVar[tuple[str, ...]] = (
        "title",
        "department",
        "seniority",
        "languages",
        "skills_offered",
        "skills_wanted",
        "interests",
        "values",
        "goals",
        "channels",
        "availability",
    )

    @property
    def completeness(self) -> int:
        """Share (0-100) of the matching fields this person has filled."""
        filled = sum(1 for name in self.MATCHING_FIELDS if getattr(self, name) not in ("", None, []))
        return round(100 * filled / len(self.MATCHING_FIELDS))

    @property
    def missing(self) -> list[tuple[str, str]]:
        """The matching fields still empty, as (name, label) pairs, for "what is missing"."""
        return [
            (name, str(cast(models.Field[Any, Any], self._meta.get_field(name)).verbose_name))
            for name in self.MATCHING_FIELDS
            if getattr(self, name) in ("", None, [])
        ]
