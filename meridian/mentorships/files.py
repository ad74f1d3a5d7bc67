"""Links and files a pair shares, each with a note.

A file's type is found from its CONTENT (the ``filetype`` library's magic numbers; the
content types inside an Office file; strict UTF-8 for text), never from its name, and a
name that claims another type is refused. Files go through Django's storage API under an
unguessable name and are served only by the access-checked view in ``views/files.py``."""

from __future__ import annotations

import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any
from urllib.parse import urlsplit

import filetype  # type: ignore[import-untyped]
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from meridian.core import permissions
from meridian.core.errors import MeridianError
from meridian.mentorships.models import Mentorship, SharedItem, SharedKind

MAX_NOTE = 1000
MAX_URL = 2000
HEAD = 8192  # bytes read to find the type


@dataclass(frozen=True)
class Kind:
    content_type: str
    extensions: tuple[str, ...]  # the first is added to a name without one
    label: str


KINDS = {
    "pdf": Kind("application/pdf", ("pdf",), "PDF"),
    "png": Kind("image/png", ("png",), "PNG image"),
    "jpg": Kind("image/jpeg", ("jpg", "jpeg"), "JPEG image"),
    "gif": Kind("image/gif", ("gif",), "GIF image"),
    "webp": Kind("image/webp", ("webp",), "WebP image"),
    "docx": Kind(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",), "Word document"
    ),
    "xlsx": Kind(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",), "spreadsheet"
    ),
    "pptx": Kind(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation", ("pptx",), "presentation"
    ),
    "txt": Kind("text/plain", ("txt", "md", "markdown", "csv"), "text"),
}
# The main part's content type inside an Office file's [Content_Types].xml.
OFFICE = {
    "docx": b"wordprocessingml.document.main+xml",
    "xlsx": b"spreadsheetml.sheet.main+xml",
    "pptx": b"presentationml.presentation.main+xml",
}
TEXT_TYPES = {"md": "text/markdown", "markdown": "text/markdown", "csv": "text/csv"}
ALLOWED_LABEL = "PDF, PNG, JPEG, GIF, WebP, Word, Excel, PowerPoint, text, Markdown or CSV"


def max_bytes() -> int:
    return int(getattr(settings, "SHARED_FILE_MAX_BYTES", 20 * 1024 * 1024))


def too_big_message() -> str:
    return _("This file is too large: the limit is %(size)s.") % {"size": filesizeformat(max_bytes())}


def _office(stream: IO[bytes]) -> str | None:
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" not in names:
                return None
            types = archive.read("[Content_Types].xml")[:200_000]
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError, NotImplementedError):
        return None
    return next((key for key, marker in OFFICE.items() if marker in types), None)


def _is_text(stream: IO[bytes]) -> bool:
    """UTF-8 through and through, without NUL bytes or other control characters."""
    stream.seek(0)
    decoder_tail = b""
    while chunk := stream.read(1 << 16):
        data = decoder_tail + chunk
        try:
            text = data.decode("utf-8")
            decoder_tail = b""
        except UnicodeDecodeError as error:
            if error.start < len(data) - 4:  # broken in the middle, not a split character
                return False
            text, decoder_tail = data[: error.start].decode("utf-8"), data[error.start :]
        if any(ord(c) < 32 and c not in "\t\n\r\f" for c in text):
            return False
    return not decoder_tail


def sniff(stream: IO[bytes]) -> str | None:
    """The key of :data:`KINDS` that the content is, or None when it is none of them."""
    stream.seek(0)
    head = stream.read(HEAD)
    if not head:
        return None
    found = filetype.guess_extension(head)
    if found in ("pdf", "png", "jpg", "gif", "webp"):
        return str(found)
    if head.startswith(b"PK\x03\x04"):
        return _office(stream)
    if found is None and _is_text(stream):
        return "txt"
    return None


@dataclass(frozen=True)
class Checked:
    filename: str
    content_type: str
    size: int


def _visible(name: str) -> str:
    r"""``name`` without control characters (NUL, line breaks) nor invisible format ones
    (a right-to-left override would show ``cv\u202efdp.md`` as ``cvdm.pdf``)."""
    return "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf"))


def check_upload(name: str, stream: IO[bytes], size: int) -> Checked:
    """Size and type from the content; the name's extension must agree with it."""
    if size > max_bytes():
        raise MeridianError(too_big_message(), field="file")
    if size == 0:
        raise MeridianError(_("This file is empty."), field="file")
    key = sniff(stream)
    if key is None:
        raise MeridianError(
            _("This kind of file cannot be shared here. Allowed: %(kinds)s.") % {"kinds": ALLOWED_LABEL},
            field="file",
        )
    kind = KINDS[key]
    clean = _visible(PurePath(name.replace("\\", "/")).name).strip()[:200] or "file"
    extension = clean.rsplit(".", 1)[1].lower() if "." in clean.strip(".") else ""
    if extension and extension not in kind.extensions:
        raise MeridianError(
            _("The name says .%(ext)s, but the content is a %(kind)s: rename it or choose the right file.")
            % {"ext": extension[:10], "kind": kind.label},
            field="file",
        )
    if not extension:
        clean = f"{clean}.{kind.extensions[0]}"
    content_type = TEXT_TYPES.get(extension, kind.content_type)
    return Checked(clean, content_type, size)


def check_url(url: str) -> str:
    url = url.strip()
    if urlsplit(url).scheme.lower() not in ("http", "https"):
        raise MeridianError(_("Share a web address starting with https:// or http://."), field="url")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise MeridianError(_("This is not a valid web address."), field="url") from None
    if len(url) > MAX_URL:
        raise MeridianError(_("A link has at most %(n)d characters.") % {"n": MAX_URL}, field="url")
    return url


def _writer(user: Any, mentorship: Mentorship) -> None:
    if not permissions.takes_part(user, mentorship):
        raise MeridianError(_("Only the members of a current mentorship share with it."))


def _note(note: str) -> str:
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise MeridianError(_("A note has at most %(n)d characters.") % {"n": MAX_NOTE}, field="note")
    return note


def shared_link_add(*, mentorship: Mentorship, user: Any, url: str, note: str = "") -> SharedItem:
    clean, text = check_url(url), _note(note)
    with transaction.atomic():
        _writer(user, mentorship)
        return SharedItem.objects.create(
            mentorship=mentorship, kind=SharedKind.LINK, url=clean, note=text, added_by=user
        )


def shared_file_add(*, mentorship: Mentorship, user: Any, upload: Any, note: str = "") -> SharedItem:
    """Check the upload's content, store it under an unguessable name, and record it; a
    stored file whose row fails to save is deleted again."""
    text = _note(note)
    checked = check_upload(upload.name or "", upload, upload.size or 0)
    upload.seek(0)
    item = SharedItem(
        mentorship=mentorship,
        kind=SharedKind.FILE,
        filename=checked.filename,
        content_type=checked.content_type,
        size=checked.size,
        note=text,
        added_by=user,
    )
    with transaction.atomic():
        _writer(user, mentorship)
        item.file.save(checked.filename, upload, save=False)
        try:
            item.save()
        except Exception:
            item.file.delete(save=False)
            raise
    return item


def shared_item_delete(*, item: SharedItem, user: Any) -> None:
    """Who added it deletes it (while they take part); the stored file goes after commit."""
    if item.added_by_id != user.pk:
        raise MeridianError(_("Only who shared it may delete it."))
    name = item.file.name if item.file else ""
    storage = item.file.storage if item.file else None
    with transaction.atomic():
        _writer(user, item.mentorship)
        item.delete()
        if name and storage is not None:
            transaction.on_commit(lambda: storage.delete(name))


def items_of(mentorship: Mentorship) -> QuerySet[SharedItem]:
    return SharedItem.objects.filter(mentorship=mentorship).select_related("added_by")
