"""One-click answers from an email ("did you meet?", "still going?", the pulse): a signed,
expiring, single-use link that works without signing in.

``link(user, action, target, choice)`` gives the absolute address. Following it checks the
signature and the age, takes the link's nonce (a second use is refused) and runs the
action's handler as that person, all in one transaction: a handler that refuses (a
``MeridianError``) leaves the link unused. Handlers are named in ``ACTIONS`` by dotted path
and must check that ``target`` is the person's own (a link names one person and one thing).

The link signs in no one: it can do its one answer and nothing else. Opening it (GET) only
shows the answer about to be sent; the page sends it (POST) at once where scripts run, else
with one press of its button. So a mail scanner that opens every link in an email, as some
do before the person sees it, answers nothing and uses up no link."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from meridian.accounts.models import User
from meridian.core.errors import MeridianError
from meridian.core.links import absolute_url
from meridian.engagement.models import UsedLink

SALT = "meridian.engagement.links"
DAYS = 14  # a pulse or a nudge waits two weeks for its answer; then the link has expired

# action -> dotted path of ``handler(*, user, target: str, choice: str) -> Answer``
ACTIONS: dict[str, str] = {
    "ladder_slot": "meridian.engagement.ladder_answers.propose_slot",
    "ladder_met": "meridian.engagement.ladder_answers.met",
    "ladder_going": "meridian.engagement.ladder_answers.going",
    "pulse": "meridian.engagement.pulse.follow_link",
}


@dataclass(frozen=True)
class Answer:
    """What the page says after a link did its work, and where the person may go on."""

    title: str
    message: str
    next_url: str = ""
    next_label: str = ""


class LinkRefused(MeridianError):
    """The link is damaged, expired or used already; ``reason`` says which."""

    status = 410

    def __init__(self, message: Any, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.status = 400 if reason == "invalid" else 410


def link(user: User, action: str, target: object, choice: str = "", *, days: int = DAYS) -> str:
    """The absolute address that answers ``choice`` to ``action`` on ``target`` as ``user``."""
    if action not in ACTIONS:
        raise ValueError(f"unknown one-click action {action!r}")
    payload = {
        "u": str(user.public_id),
        "a": action,
        "t": str(target),
        "c": choice,
        "d": days,
        "n": secrets.token_urlsafe(12),
    }
    return absolute_url("engagement:answer", signing.dumps(payload, salt=SALT, compress=True))


def check(token: str) -> dict[str, Any]:
    """What the link says, if it may still be followed (signed, not expired, not used, its
    person active); raises ``LinkRefused``. Takes nothing: the page asks to confirm first."""
    data = _read(token)
    if not User.objects.filter(public_id=data["u"], is_active=True).exists():
        raise LinkRefused(_("This link is not valid any more."), reason="invalid")
    if UsedLink.objects.filter(nonce=data["n"]).exists():
        raise LinkRefused(_("This link has been used already: each works once."), reason="used")
    return data


def follow(token: str) -> Answer:
    """Do what the link says, once; raises ``LinkRefused`` (or the handler's error)."""
    data = _read(token)
    user = User.objects.filter(public_id=data["u"], is_active=True).first()
    if user is None:
        raise LinkRefused(_("This link is not valid any more."), reason="invalid")
    handler: Callable[..., Answer] = import_string(ACTIONS[data["a"]])
    with transaction.atomic():
        _used, created = UsedLink.objects.get_or_create(nonce=data["n"], defaults={"action": data["a"]})
        if not created:
            raise LinkRefused(_("This link has been used already: each works once."), reason="used")
        return handler(user=user, target=data["t"], choice=data["c"])


def _read(token: str) -> dict[str, Any]:
    try:
        data = signing.loads(token, salt=SALT)
        if not isinstance(data, dict) or data.get("a") not in ACTIONS:
            raise signing.BadSignature("unknown action")
        signing.loads(token, salt=SALT, max_age=dt.timedelta(days=int(data["d"])))
    except signing.SignatureExpired:
        raise LinkRefused(_("This link has expired."), reason="expired") from None
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkRefused(
            _("This link is not valid: it may have been cut short."), reason="invalid"
        ) from None
    return data
