"""The browser import: upload -> preview -> confirm, through the Django test client."""

from __future__ import annotations

import datetime as dt
import functools
import html
import io
import struct
import time
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matching_engine.demo import generate_people
from matching_engine.model import Participant, Role
from matching_engine.participants import (
    MAX_FILE_BYTES,
    read_participants,
    write_participants_csv,
    write_participants_xlsx,
)
from meridian.accounts.models import Profile, User
from meridian.programs.models import Enrollment, StagedImport
from tests.factories import EnrollmentFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

PEOPLE = generate_people(40)
GOOD_CSV = write_participants_csv(PEOPLE).encode()
BAD_CSV = b"""\
id,role,name,email,time_zone,seniority
E1,mentor,Ann Lee,ann@example.org,Mars/Olympus,3
E2,mentee,Bob Roy,bob@example,Europe/London,
E3,mentee,=cmd|' /C calc'!A0,cid@example.org,Europe/London,11
"""
SCRIPT = "<script>alert('pwned')</script>"


@pytest.fixture
def as_manager(client, manager):
    client.force_login(manager)
    return client


def counts() -> tuple[int, ...]:
    return (User.objects.count(), Profile.objects.count(), Enrollment.objects.count())


def upload(client: Client, cohort, data: bytes, name: str = "people.csv", **extra: str):
    file = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(f"/cohorts/{cohort.public_id}/import/", {"file": file, **extra})


def confirm(client: Client, url: str):
    """Confirm what the preview at ``url`` promises (its digest), as the page's form does."""
    digest = client.get(url).context["report"].digest
    return client.post(url, {"digest": digest})


def test_it_previews_a_good_file_then_imports_it_on_confirm(as_manager, cohort, manager):
    before = counts()
    response = upload(as_manager, cohort, GOOD_CSV)
    staged = StagedImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/imports/{staged.public_id}/"

    preview = as_manager.get(response["Location"])
    assert preview.status_code == 200
    report = preview.context["report"]
    mentors = sum(p.role == "mentor" for p in PEOPLE)
    assert (report.new_people, report.updated_people, report.mentors, report.mentees) == (
        40,
        0,
        mentors,
        40 - mentors,
    )
    page = preview.content.decode()
    assert [p.name for p in preview.context["rows"]] == [p.name for p in PEOPLE[:25]]
    assert html.escape(PEOPLE[0].name) in page
    assert html.escape(PEOPLE[24].name) in page
    assert html.escape(PEOPLE[25].name) not in page
    assert "… and 15 more rows." in page
    assert "Import 40 people" in page
    assert counts() == before

    done = confirm(as_manager, response["Location"])
    assert done.status_code == 302
    assert done["Location"].endswith(f"/people/?cohort={cohort.public_id}")
    enrolled = Enrollment.objects.filter(cohort=cohort, status="approved", decided_by=manager)
    assert enrolled.count() == 40
    staged.refresh_from_db()
    assert staged.applied_at is not None

    # Done: the page now points to the people; posting again imports nothing more.
    again = as_manager.post(response["Location"], {"digest": preview.context["report"].digest})
    assert again.status_code == 302
    assert again["Location"] == done["Location"]
    assert Enrollment.objects.filter(cohort=cohort).count() == 40


def test_it_previews_and_imports_an_xlsx_file(as_manager, cohort):
    response = upload(as_manager, cohort, write_participants_xlsx(PEOPLE), name="people.xlsx")
    assert response.status_code == 302
    assert confirm(as_manager, response["Location"]).status_code == 302
    assert Enrollment.objects.filter(cohort=cohort, status="approved").count() == 40


def test_it_lists_every_error_of_a_bad_file_and_stages_nothing(as_manager, cohort):
    EnrollmentFactory(cohort=cohort)
    before = counts()
    expected = read_participants(BAD_CSV).errors
    assert len(expected) >= 4

    response = upload(as_manager, cohort, BAD_CSV)

    assert response.status_code == 422
    assert list(response.context["errors"]) == list(expected)
    page = response.content.decode()
    assert f"{len(expected)} problems in the file: nothing was imported" in page
    for error in expected:
        cells = (
            f'<td class="num">{error.line}</td><td>{error.column}</td>'
            f'<td class="error-cell">{html.escape(error.message)}</td>'
        )
        assert cells in page
    assert not StagedImport.objects.exists()
    assert counts() == before


def test_it_lists_conflicts_with_existing_accounts_before_staging(as_manager, cohort):
    taken = PEOPLE[2]
    existing = UserFactory(email=taken.email)
    existing.profile.external_id = "HR-9"
    existing.profile.save()
    # One of this manager's participants, so the manager may be told their HR id.
    EnrollmentFactory(cohort__program=cohort.program, user=existing)

    response = upload(as_manager, cohort, GOOD_CSV)

    assert response.status_code == 422
    [error] = response.context["errors"]
    assert (error.line, error.column) == (4, "id")
    assert html.escape(f"already registered with HR id HR-9, not {taken.id}") in response.content.decode()
    assert not StagedImport.objects.exists()


def test_it_shows_the_size_limit_next_to_the_field(as_manager, cohort):
    response = upload(as_manager, cohort, b"x" * (MAX_FILE_BYTES + 1))
    assert response.status_code == 200
    [message] = response.context["form"].errors["file"]
    assert message == "The file is 10.0 MB; the limit is 10 MB. Split it into smaller files."
    page = response.content.decode()
    assert message in page
    assert 'aria-invalid="true"' in page
    assert not StagedImport.objects.exists()


def test_it_asks_for_a_file_when_none_is_sent(manager, cohort):
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    url = f"/cohorts/{cohort.public_id}/import/"
    assert client.get(url).status_code == 200
    token = client.cookies["csrftoken"].value
    response = client.post(url, {"csrfmiddlewaretoken": token})
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["This field is required."]
    assert "This field is required." in response.content.decode()
    assert not StagedImport.objects.exists()


@functools.cache
def zip_bomb(unpacked: int = 512 << 20) -> bytes:
    """A valid 0.5 MB .xlsx-named zip whose one sheet inflates to ``unpacked`` bytes.

    Built by hand: a deflate block of 1 MiB, flushed so it stands alone, repeated."""
    chunk = b"0" * (1 << 20)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    count = unpacked // len(chunk)
    data = block * count + zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    name, size = b"xl/worksheets/sheet1.xml", count * len(chunk)
    sizes = (crc, len(data), size, len(name), 0)
    local = struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, 0, 8, 0, 33, *sizes) + name + data
    central = struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 0, 20, 0, 0, 8, 0, 33, *sizes, 0, 0, 0, 0, 0)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central) + len(name), len(local), 0)
    return local + central + name + end


def test_it_refuses_a_zip_bomb_without_inflating_it(as_manager, cohort):
    data = zip_bomb()
    assert len(data) < MAX_FILE_BYTES // 10
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.infolist()[0].file_size == 512 << 20

    started = time.perf_counter()
    response = upload(as_manager, cohort, data, name="bomb.xlsx")

    assert time.perf_counter() - started < 2
    assert response.status_code == 422
    [error] = response.context["errors"]
    assert error.message.startswith("the workbook unpacks to 512 MB; the limit is ")
    assert not StagedImport.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("garbage.csv", bytes(range(256)) * 64, "not UTF-8 text"),
        ("garbage.xlsx", b"PK\x03\x04" + bytes(range(256)) * 8, "not a valid .xlsx workbook"),
        ("people.csv", write_participants_xlsx(PEOPLE[:3]), "is an Excel workbook"),
        ("people.pdf", b"%PDF-1.7", 'unsupported file type ".pdf"'),
        ("empty.csv", b"", "the file is empty"),
        ("nul.csv", b"id,role\x00,name\n\x00\x00\n", ""),
    ],
    ids=["binary", "damaged-xlsx", "xlsx-named-csv", "pdf", "empty", "nul-bytes"],
)
def test_it_never_fails_on_hostile_files(as_manager, cohort, name, data, reason):
    response = upload(as_manager, cohort, data, name=name)
    assert response.status_code in (200, 422)
    if data:
        assert response.context["errors"]
        assert reason in str(response.context["errors"][0])
    assert not StagedImport.objects.exists()


def test_it_escapes_markup_in_cells_and_the_file_name(as_manager, cohort):
    hostile = Participant(
        id="E1",
        role=Role.MENTEE,
        name=SCRIPT,
        email="ann@example.org",
        time_zone="Europe/London",
        department='"><img src=x onerror=alert(1)>',
    )
    data = write_participants_csv([hostile])
    response = upload(as_manager, cohort, data.encode(), name="<svg onload=alert(1)>.csv")
    assert response.status_code == 302

    page = as_manager.get(response["Location"]).content.decode()

    assert html.escape(SCRIPT) in page
    assert SCRIPT not in page
    assert "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert StagedImport.objects.get().filename == "<svg onload=alert(1)>.csv"
    assert "<svg" not in page
    assert "&lt;svg onload=alert(1)&gt;.csv" in page


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000))
def test_it_never_answers_500_to_random_bytes(as_manager, cohort, data):
    response = upload(as_manager, cohort, data, name="x.csv")
    assert response.status_code in (200, 302, 422)


@pytest.fixture
def staged(cohort, manager):
    return StagedImport.objects.create(
        cohort=cohort, uploaded_by=manager, filename="people.csv", data=GOOD_CSV
    )


@pytest.fixture(params=["other-manager", "participant"])
def outsider(request, cohort):
    """A manager of another program, or an approved member of the cohort."""
    if request.param == "other-manager":
        user = UserFactory()
        ProgramFactory(managers=[user])
        return user
    return EnrollmentFactory(cohort=cohort, status="approved").user


def test_it_hides_upload_preview_and_export_from_outsiders(client, cohort, staged, outsider):
    client.force_login(outsider)
    before = counts()
    assert client.get(f"/cohorts/{cohort.public_id}/import/").status_code == 404
    assert upload(client, cohort, GOOD_CSV).status_code == 404
    assert client.get(f"/imports/{staged.public_id}/").status_code == 404
    assert client.post(f"/imports/{staged.public_id}/").status_code == 404
    for fmt in ("csv", "xlsx"):
        assert client.get(f"/programs/{cohort.program.public_id}/people.{fmt}").status_code == 404
    assert StagedImport.objects.count() == 1
    assert StagedImport.objects.get().applied_at is None
    assert counts() == before


def test_it_sends_anonymous_visitors_to_sign_in(client, cohort, staged):
    for url in (f"/cohorts/{cohort.public_id}/import/", f"/imports/{staged.public_id}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def test_it_404s_a_preview_staged_more_than_a_day_ago(as_manager, staged):
    StagedImport.objects.filter(pk=staged.pk).update(created_at=timezone.now() - dt.timedelta(hours=25))
    assert as_manager.get(f"/imports/{staged.public_id}/").status_code == 404
    assert as_manager.post(f"/imports/{staged.public_id}/").status_code == 404
    assert not Enrollment.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_404s_a_preview_address_that_is_not_a_uuid(as_manager, method):
    assert getattr(as_manager, method)("/imports/not-a-uuid/").status_code == 404
