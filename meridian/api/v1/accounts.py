"""Read API for the signed-in person."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotAuthenticated

from meridian.accounts.models import User


class MeSerializer(serializers.ModelSerializer[User]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    is_administrator = serializers.BooleanField(read_only=True)

    class Meta:
        model = User
        fields = ("id", "name", "email", "time_zone", "is_administrator")
        read_only_fields = fields


@extend_schema(summary="Who am I")
class MeDetail(generics.RetrieveAPIView[User]):
    """The signed-in person: who the session or token belongs to."""

    serializer_class = MeSerializer

    def get_object(self) -> User:
        if not isinstance(self.request.user, User):
            raise NotAuthenticated
        return self.request.user
