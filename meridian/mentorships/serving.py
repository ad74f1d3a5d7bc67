"""Sending and receiving the pair's files over HTTP, for the pages and the API alike: the
upload limit enforced while the body is read, and the one way a stored file goes out."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import FileResponse, Http404, HttpRequest

from meridian.mentorships import files
from meridian.mentorships.models import SharedKind

SLACK = 64 * 1024  # the multipart envelope and the note around the file


class LimitHandler(FileUploadHandler):
    """Stops reading an upload past the limit (a body without a Content-Length header)
    and marks the request, so the form says why instead of 'no file'."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.seen = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.seen += len(raw_data)
        if self.seen > files.max_bytes():
            self.request.upload_too_big = True  # type: ignore[union-attr]
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def too_big(request: HttpRequest) -> bool:
    """Whether the request announces a body larger than the limit (read nothing then)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > files.max_bytes() + SLACK


def download(item: Any) -> FileResponse:
    """The stored file as an attachment, with headers that keep a browser from running it."""
    if item.kind != SharedKind.FILE or not item.file:
        raise Http404
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    content_type = item.content_type or "application/octet-stream"
    if content_type.startswith("text/"):
        content_type += "; charset=utf-8"
    response = FileResponse(handle, as_attachment=True, filename=item.filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
