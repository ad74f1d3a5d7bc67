"""Shared links and files: the type is found from the content (every allowed kind, and a
name that lies), the size limit (a 100 MB upload refused before it is read), NUL bytes,
javascript: links, storage under an unguessable name, and the download's headers."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meridian.core.errors import MeridianError
from meridian.mentorships import files
from meridian.mentorships.models import SharedItem
from meridian.mentorships.tests import samples
from tests.factories import ProgramFactory, UserFactory, mentoring_pair, people

pytestmark = pytest.mark.django_db

HOSTILE = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("cv.pdf", samples.pdf(), "application/pdf"),
        ("me.png", samples.png(), "image/png"),
        ("me.jpeg", samples.jpeg(), "image/jpeg"),
        ("me.gif", samples.gif(), "image/gif"),
        ("me.webp", samples.webp(), "image/webp"),
        ("plan.docx", samples.office("docx"), files.KINDS["docx"].content_type),
        ("plan.xlsx", samples.office("xlsx"), files.KINDS["xlsx"].content_type),
        ("plan.pptx", samples.office("pptx"), files.KINDS["pptx"].content_type),
        ("notes.txt", "Größe ✓\n".encode(), "text/plain"),
        ("notes.md", b"# Plan\n- one\n", "text/markdown"),
        ("table.csv", b"a,b\n1,2\n", "text/csv"),
    ],
)
def test_it_finds_each_allowed_kind_from_the_content(name: str, content: bytes, content_type: str):
    checked = files.check_upload(name, io.BytesIO(content), len(content))

    assert checked.content_type == content_type
    assert checked.filename == name


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("photo.png", samples.pdf(), "content is a PDF"),  # the name lies
        ("report.pdf", b"just text\n", "content is a text"),
        ("plan.docx", samples.office("xlsx"), "content is a spreadsheet"),
    ],
)
def test_it_refuses_a_name_that_claims_another_kind(name: str, content: bytes, says: str):
    with pytest.raises(MeridianError, match=says):
        files.check_upload(name, io.BytesIO(content), len(content))


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03" + b"\x00" * 100,  # a Windows program
        b"text with a NUL \x00 byte",
        b"\xff\xfe broken utf-8 \xc3\x28",
        samples.plain_zip(),  # a zip that is not an Office file
        b"\x1b[31m escape codes",
    ],
)
def test_it_refuses_content_of_no_allowed_kind(content: bytes):
    with pytest.raises(MeridianError, match="cannot be shared"):
        files.check_upload("notes.txt", io.BytesIO(content), len(content))


def test_a_file_without_extension_gets_the_one_of_its_content():
    checked = files.check_upload("scan", io.BytesIO(samples.png()), len(samples.png()))
    assert checked.filename == "scan.png"


def test_a_name_keeps_no_path_nor_nul():
    checked = files.check_upload("../../etc/pa\x00sswd.txt", io.BytesIO(b"x\n"), 2)
    assert checked.filename == "passwd.txt"


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("cv\u202efdp.md", "cvfdp.md"),  # shown reversed, it would pass for "cvdm.pdf"
        ("a\r\nContent-Type: x.md", "aContent-Type: x.md"),
        ("note\u200b\x07s.txt", "notes.txt"),
        ("\u202e\u200d", "file.txt"),
    ],
)
def test_a_name_keeps_no_control_nor_invisible_character(name: str, kept: str):
    checked = files.check_upload(name, io.BytesIO(b"x\n"), 2)
    assert checked.filename == kept


def test_it_refuses_over_the_limit_and_empty(settings: Any):
    settings.SHARED_FILE_MAX_BYTES = 10
    with pytest.raises(MeridianError, match="too large"):
        files.check_upload("a.txt", io.BytesIO(b"x" * 11), 11)
    with pytest.raises(MeridianError, match="empty"):
        files.check_upload("a.txt", io.BytesIO(b""), 0)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>x</script>",
        "ftp://x.org/a",
        "http://",
        "nope",
    ],
)
def test_links_are_http_or_https_only(url: str):
    with pytest.raises(MeridianError):
        files.check_url(url)


def test_it_stores_under_an_unguessable_name_and_deletes_after(
    media: Any, django_capture_on_commit_callbacks: Any
):
    mentorship = mentoring_pair()
    mentor, mentee = people(mentorship)
    upload = SimpleUploadedFile("My CV.pdf", samples.pdf())
    item = files.shared_file_add(mentorship=mentorship, user=mentee, upload=upload, note="For you")

    assert "CV" not in item.file.name
    assert item.file.name.startswith("shared/")
    assert len(item.file.name.split("/")[-1]) == 32
    assert (media / item.file.name).read_bytes() == samples.pdf()
    with pytest.raises(MeridianError, match="Only who shared"):
        files.shared_item_delete(item=item, user=mentor)
    with django_capture_on_commit_callbacks(execute=True):
        files.shared_item_delete(item=item, user=mentee)
    assert not (media / item.file.name).exists()
    assert not SharedItem.objects.exists()


def _upload(client: Any, mentorship: Any, name: str, content: bytes, **extra: Any) -> Any:
    url = reverse("mentorships:file_upload", args=[mentorship.public_id])
    return client.post(url, {"upload-file": SimpleUploadedFile(name, content), "upload-note": "n"}, **extra)


def test_the_partner_downloads_it_as_an_attachment_with_safe_headers(client: Any):
    mentorship = mentoring_pair()
    mentor, mentee = people(mentorship)
    client.force_login(mentee)
    assert _upload(client, mentorship, "page.txt", b"<script>alert(1)</script>\n").status_code == 302
    item = SharedItem.objects.get()

    client.force_login(mentor)
    response = client.get(reverse("mentorships:file_download", args=[item.public_id]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>\n"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_a_mismatched_file_is_refused_next_to_the_field(client: Any):
    mentorship = mentoring_pair()
    client.force_login(people(mentorship)[1])
    response = _upload(client, mentorship, "photo.png", samples.pdf(), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "upload-file_error" in response.content.decode()
    assert "content is a PDF" in response.content.decode()
    assert not SharedItem.objects.exists()


def test_a_100_mb_upload_is_refused_clearly_before_it_is_read(client: Any):
    mentorship = mentoring_pair()
    client.force_login(people(mentorship)[1])
    response = _upload(client, mentorship, "big.txt", b"a" * (100 * 1024 * 1024))

    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert not SharedItem.objects.exists()


def test_an_upload_is_stopped_while_read_at_the_limit(client: Any, settings: Any):
    """A body whose announced length is within the slack still stops at the limit."""
    settings.SHARED_FILE_MAX_BYTES = 1000
    mentorship = mentoring_pair()
    client.force_login(people(mentorship)[1])
    response = _upload(client, mentorship, "a.txt", b"a" * 1500)

    assert response.status_code == 413
    assert "too large" in response.content.decode()
    assert not SharedItem.objects.exists()


def test_links_render_inert_with_noopener(client: Any):
    mentorship = mentoring_pair()
    client.force_login(people(mentorship)[1])
    url = reverse("mentorships:link_add", args=[mentorship.public_id])
    assert client.post(url, {"link-url": "javascript:alert(1)"}).status_code == 200
    response = client.post(
        url, {"link-url": "https://example.org/?q=<b>", "link-note": "<script>x()</script>"}
    )
    assert response.status_code == 302

    page = client.get(reverse("mentorships:files", args=[mentorship.public_id])).content.decode()
    assert 'rel="noopener noreferrer nofollow"' in page
    assert "<script>x()" not in page
    assert "&lt;script&gt;x()" in page
    assert "javascript:" not in page


def test_a_long_link_shows_shortened_and_goes_to_the_whole_address(client: Any):
    mentorship = mentoring_pair()
    mentee = people(mentorship)[1]
    long = "https://example.org/" + "p" * 300
    files.shared_link_add(mentorship=mentorship, user=mentee, url=long)
    client.force_login(mentee)
    page = client.get(reverse("mentorships:files", args=[mentorship.public_id])).content.decode()
    assert f'href="{long}"' in page
    assert f">{long[:79]}…</a>" in page
    assert f">{long}<" not in page


@HOSTILE
@given(
    name=st.text(max_size=300),
    content=st.binary(max_size=2000),
    note=st.text(max_size=1200),
)
def test_any_upload_is_stored_or_refused_in_words(client: Any, name: str, content: bytes, note: str):
    mentorship = mentoring_pair()
    client.force_login(people(mentorship)[1])
    url = reverse("mentorships:file_upload", args=[mentorship.public_id])
    name = "".join(c for c in name if c not in "\x00/\\")  # the browser sends a base name
    upload = SimpleUploadedFile(name if name not in ("", ".", "..") else "x", content)
    before = SharedItem.objects.count()
    response = client.post(url, {"upload-file": upload, "upload-note": note}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    stored = SharedItem.objects.count() - before
    assert stored in (0, 1)
    if not stored:
        assert "errorlist" in response.content.decode() or "errors-summary" in response.content.decode()


@HOSTILE
@given(url=st.text(max_size=2100), note=st.text(max_size=1100))
def test_any_link_is_stored_or_refused_in_words(client: Any, url: str, note: str):
    mentorship = mentoring_pair()
    client.force_login(people(mentorship)[1])
    response = client.post(
        reverse("mentorships:link_add", args=[mentorship.public_id]),
        {"link-url": url, "link-note": note},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    for item in SharedItem.objects.filter(mentorship=mentorship):
        assert item.url.lower().startswith(("http://", "https://"))


def test_the_program_team_sees_counts_of_what_is_shared_never_what(client: Any):
    manager = UserFactory()
    mentorship = mentoring_pair(program=ProgramFactory(managers=[manager]))
    mentee = people(mentorship)[1]
    files.shared_link_add(mentorship=mentorship, user=mentee, url="https://private.example/", note="Mine")
    upload = SimpleUploadedFile("burnout-notes.txt", b"private\n")
    files.shared_file_add(mentorship=mentorship, user=mentee, upload=upload, note="Secret")
    client.force_login(manager)
    page = client.get(reverse("portal:workspace", args=[mentorship.public_id])).content.decode()
    section = page.split('id="files-section"')[1].split("</section>")[0]
    assert re.search(r"1 file,\s+1 link", section)
    for private in ("private.example", "burnout-notes", "Mine", "Secret"):
        assert private not in page


def test_the_section_of_an_ended_mentorship_opens_what_was_shared(client: Any):
    from meridian.mentorships import closing

    mentorship = mentoring_pair()
    mentor, mentee = people(mentorship)
    client.force_login(mentee)
    hub = reverse("portal:workspace", args=[mentorship.public_id])
    assert "Share a link or a file" in client.get(hub).content.decode()
    thoughts = closing.Thoughts(achieved="Much", next_steps="More", recommend="yes")
    closing.mentorship_close(
        mentorship=mentorship, user=mentor, outcome="ended", reason="schedules", thoughts=thoughts
    )
    page = client.get(hub).content.decode()
    assert "Share a link or a file" not in page
    assert "Open the shared links and files" in page
