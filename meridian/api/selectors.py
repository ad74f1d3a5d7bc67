"""Reading a person's own API tokens, with the access policy applied (404 otherwise)."""

from __future__ import annotations

import uuid

from django.http import Http404

from meridian.api.models import ApiToken
from meridian.core import permissions
from meridian.core.permissions import Person


def get_token_for_user(user: Person, public_id: uuid.UUID, *, write: bool = False) -> ApiToken:
    """A personal API token, for its owner alone (to see it as to revoke it); else 404."""
    token = ApiToken.objects.filter(public_id=public_id).first()
    if token is None or not permissions.may_manage_token(user, token):
        raise Http404
    return token
