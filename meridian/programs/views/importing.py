"""Placeholder wiring, replaced by the import pages."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def import_upload(request: HttpRequest, public_id: str) -> HttpResponse:
    raise Http404


def import_preview(request: HttpRequest, public_id: str) -> HttpResponse:
    raise Http404


def export_participants(request: HttpRequest, public_id: str, fmt: str) -> HttpResponse:
    raise Http404
