"""Paging that stays fast on large tables: sort and slice the ids alone, then fetch
the page's wide rows (with their joins) by id. Sorting 50,000 narrow rows is cheap;
sorting 50,000 rows joined to users and profiles is not."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def fetch_in_order(ids: Sequence[Any], rows: QuerySet[M]) -> list[M]:
    """The rows with these primary keys, in the order of ``ids`` (one query)."""
    by_id = {row.pk: row for row in rows.filter(pk__in=list(ids))}
    return [by_id[pk] for pk in ids if pk in by_id]


def paginate(
    queryset: QuerySet[M], number: Any, *, per_page: int, fetch: Callable[[QuerySet[M]], QuerySet[M]]
) -> Page[M]:
    """A page of ``queryset`` (already filtered and ordered); ``fetch`` adds the joins
    the page needs (``select_related``...). Three queries: count, ids, rows."""
    page: Page[Any] = Paginator(queryset.values_list("pk", flat=True), per_page).get_page(number)
    page.object_list = fetch_in_order(list(page.object_list), fetch(queryset.model._default_manager.all()))
    return page
