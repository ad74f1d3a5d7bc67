"""One page shape for every list endpoint. ``page`` and ``page_size`` are whole numbers
from 1, as the schema says: anything else is a 400 naming the parameter (DRF answered an
undocumented 404 for a bad page and quietly ignored a bad page size). A page past the
last is empty, with the count and a link back to the last page."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

MAX_DIGITS = 9


class _PastTheEnd(Page):  # type: ignore[type-arg]
    def has_next(self) -> bool:
        return False

    def has_previous(self) -> bool:
        return self.paginator.num_pages >= 1 and self.paginator.count > 0

    def previous_page_number(self) -> int:
        return int(self.paginator.num_pages)


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    last_page_strings = ()  # "page=last" is not a whole number: refused like any other word

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> list[Any] | None:
        number = _whole_number(request, self.page_query_param)
        _whole_number(request, self.page_size_query_param)
        paginator = self.django_paginator_class(queryset, self.get_page_size(request) or self.page_size)
        if number is None or number <= paginator.num_pages:
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        self.page = _PastTheEnd([], number, paginator)
        return []

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"] = {**parameter["schema"], "minimum": 1, "maximum": 10**MAX_DIGITS - 1}
            if parameter["name"] == self.page_query_param:
                parameter["description"] = "A page number from 1. A page past the last is empty (200)."
            else:
                parameter["description"] = (
                    f"Results per page, from 1; more than {self.max_page_size} gives {self.max_page_size}."
                )
        return parameters


def _whole_number(request: Request, name: str) -> int | None:
    values = request.query_params.getlist(name)
    if not values:
        return None
    value = values[0]
    if (
        len(values) > 1
        or not (value.isascii() and value.isdigit())
        or len(value) > MAX_DIGITS
        or int(value) < 1
    ):
        raise ValidationError({name: ["Give one whole number from 1."]})
    return int(value)
