"""The private calendar feed: a page where a person finds, renews or turns off their
subscription address, and the ``.ics`` that calendar apps fetch from it.

The address itself is the secret (no sign-in: calendar apps cannot), so it is long and
random, can be replaced at any time (the old one then answers 404 at once) and is never
shown to anyone else. Anything that is not a live token gets the same 404.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from meridian.accounts.http import AuthedRequest
from meridian.accounts.models import User
from meridian.core.links import absolute_url
from meridian.scheduling import ics
from meridian.scheduling.invitations import events_for
from meridian.scheduling.models import CalendarFeed

TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")  # what secrets.token_urlsafe makes, and no more
HISTORY = dt.timedelta(days=180)  # past meetings a calendar still shows
READ_EVERY = dt.timedelta(minutes=1)  # last_read_at is written at most this often


@login_required
@require_GET
def feed_page(request: AuthedRequest) -> HttpResponse:
    feed = live_feed(request.user)
    urls = subscribe_urls(feed.token) if feed else None
    return render(request, "scheduling/feed.html", {"feed": feed, "urls": urls})


@login_required
@require_POST
def feed_new(request: AuthedRequest) -> HttpResponse:
    had_one = live_feed(request.user) is not None
    feed_renew(user=request.user)
    if had_one:
        messages.success(request, _("Your calendar has a new address; the old one no longer works."))
    else:
        messages.success(request, _("Your calendar feed is on. Add its address to your calendar app."))
    return redirect("scheduling:feed")


@login_required
@require_POST
def feed_off(request: AuthedRequest) -> HttpResponse:
    if feed_turn_off(user=request.user):
        messages.success(request, _("Your calendar feed is off; its address no longer works."))
    return redirect("scheduling:feed")


@require_GET
def feed_ics(request: HttpRequest, token: str) -> HttpResponse:
    if not TOKEN.fullmatch(token):  # before the database: a NUL byte or 10 kB never reach it
        raise Http404
    feed = CalendarFeed.objects.filter(token=token, revoked_at__isnull=True).select_related("user").first()
    if feed is None or not feed.user.is_active:
        raise Http404
    now = timezone.now()
    _mark_read(feed, now)
    body = ics.feed(
        events_for(feed.user, since=now - HISTORY),
        name=_("%(site)s mentoring sessions") % {"site": settings.SITE_NAME},
        stamp=now,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meridian.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


# ---------------------------------------------------------------- the feed's rows


def live_feed(user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


@transaction.atomic
def feed_renew(*, user: User) -> CalendarFeed:
    """Revoke ``user``'s live feed, if any, and give them one with a new token."""
    now = timezone.now()
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    try:
        with transaction.atomic():
            return CalendarFeed.objects.create(user=user)
    except IntegrityError:  # a second click at the same moment made one: that one stands
        return CalendarFeed.objects.get(user=user, revoked_at__isnull=True)


def feed_turn_off(*, user: User) -> bool:
    """Revoke ``user``'s live feed; whether there was one."""
    return bool(
        CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    )


def subscribe_urls(token: str) -> dict[str, str]:
    """The feed's address as calendar apps take it: https (Google, Outlook) and webcal (Apple)."""
    https = absolute_url("scheduling:feed_ics", token)
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}


def _mark_read(feed: CalendarFeed, now: dt.datetime) -> None:
    """One conditional UPDATE, and only when the last read is a minute old: apps poll
    often, and a write per poll is wasted."""
    if feed.last_read_at is None or feed.last_read_at <= now - READ_EVERY:
        stale = Q(last_read_at__isnull=True) | Q(last_read_at__lte=now - READ_EVERY)
        CalendarFeed.objects.filter(stale, pk=feed.pk).update(last_read_at=now)
