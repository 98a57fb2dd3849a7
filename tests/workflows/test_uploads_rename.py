"""Files stored before uploads got random names are moved to one by a data migration per app
(workflows.uploads.rename_stored_files): content kept, the row points at the new name, the old name is
gone, a missing file is skipped, and a second run moves nothing."""

# ruff: noqa: F811 — the fixtures of the inspection and budget tests are imported by name

import importlib
from pathlib import PurePosixPath

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from tests.factories import image_bytes
from tests.workflows.budget.conftest import approved, fy, month_of  # noqa: F401 (fixtures)
from tests.workflows.inspection.conftest import checklist, factory, songkhla  # noqa: F401 (fixtures)
from workflows.budget import services as budget
from workflows.budget.models import ReportEvidence
from workflows.inspection import services as inspection
from workflows.inspection.models import Evidence
from workflows.uploads import RANDOM_BASENAME, rename_stored_files

pytestmark = pytest.mark.django_db

JPEG, PNG, PDF = image_bytes("JPEG"), image_bytes("PNG"), b"%PDF-1.4\n%%EOF"


def with_old_name(row, old: str, content: bytes):
    """Put `row`'s file back under the guessable name it would have had before random names."""
    default_storage.delete(row.file.name)
    stored = default_storage.save(old, ContentFile(content))
    type(row).objects.filter(pk=row.pk).update(file=stored)
    row.refresh_from_db()
    return row


def assert_renamed(row, old: str, content: bytes, folder: str, extension: str):
    row.refresh_from_db()
    new = PurePosixPath(row.file.name)
    assert RANDOM_BASENAME.fullmatch(new.name) and new.suffix == extension
    assert new.parts[0] == folder and new.name != PurePosixPath(old).name
    assert not default_storage.exists(old)
    with default_storage.open(row.file.name, "rb") as stored:
        assert stored.read() == content


@pytest.fixture
def case(songkhla, checklist, factory):
    case = inspection.inspection_start(factory=factory, by=songkhla.head)
    inspection.inspection_assign(inspection=case, inspector=songkhla.inspector, by=songkhla.head)
    return case


def evidence(case, songkhla, old: str, content: bytes = PNG):
    upload = SimpleUploadedFile("x.png", content, "image/png")
    return with_old_name(inspection.evidence_add(inspection=case, by=songkhla.inspector, upload=upload), old, content)


def complaint_photo(old: str, content: bytes = JPEG):
    from tests.workflows.complaint.test_complaints import jpeg, submit

    photo = submit(photos=[jpeg(content=content)]).photos.get()
    return with_old_name(photo, old, content)


def test_old_names_are_moved_to_random_ones_with_their_content(case, songkhla):
    first = evidence(case, songkhla, "evidence/2026/10/ถังดับเพลิง-โรงงานสงขลา.png")
    second = evidence(case, songkhla, "evidence/2026/10/IMG_0001.png", image_bytes("PNG", (9, 9)))
    assert rename_stored_files(Evidence, batch_size=1) == 2  # batches of one: each row is reached
    assert_renamed(first, "evidence/2026/10/ถังดับเพลิง-โรงงานสงขลา.png", PNG, "evidence", ".png")
    assert_renamed(second, "evidence/2026/10/IMG_0001.png", image_bytes("PNG", (9, 9)), "evidence", ".png")
    assert first.file.name != second.file.name


def test_a_missing_file_is_skipped_and_the_others_are_still_moved(case, songkhla):
    gone = evidence(case, songkhla, "evidence/2026/10/gone.png")
    default_storage.delete(gone.file.name)
    kept = evidence(case, songkhla, "evidence/2026/10/kept.png")
    assert rename_stored_files(Evidence) == 1
    gone.refresh_from_db()
    assert gone.file.name == "evidence/2026/10/gone.png"
    assert_renamed(kept, "evidence/2026/10/kept.png", PNG, "evidence", ".png")


def test_a_second_run_moves_nothing(case, songkhla):
    row = evidence(case, songkhla, "evidence/2026/10/once.png")
    rename_stored_files(Evidence)
    row.refresh_from_db()
    name = row.file.name
    assert rename_stored_files(Evidence) == 0
    row.refresh_from_db()
    assert row.file.name == name and default_storage.exists(name)


def migrate(app: str, name: str) -> None:
    """Run the migration's forward step with the models as they stand at it (historical models)."""
    state = MigrationLoader(connection).project_state((app, name))
    importlib.import_module(f"workflows.{app}.migrations.{name}").rename(state.apps, Editor())


class Editor:  # what RunPython hands the migration: only its connection is read
    connection = connection


def test_the_inspection_and_complaint_migrations_move_their_files(case, songkhla):
    row = evidence(case, songkhla, "evidence/2026/09/report-photo.png")
    photo = complaint_photo("complaints/2026/09/น้ำเสีย.jpg")
    migrate("inspection", "0006_random_file_names")
    migrate("complaint", "0003_random_file_names")
    assert_renamed(row, "evidence/2026/09/report-photo.png", PNG, "evidence", ".png")
    assert_renamed(photo, "complaints/2026/09/น้ำเสีย.jpg", JPEG, "complaints", ".jpg")


def test_the_budget_migration_moves_its_files(songkhla, approved, fy):  # noqa: F811
    report = budget.report_open(project=approved, month=month_of(fy, 1))
    upload = SimpleUploadedFile("x.pdf", PDF, "application/pdf")
    row = ReportEvidence.objects.create(
        report=report, file=upload, name="เบิกจ่าย.pdf", content_type="application/pdf", size=len(PDF),
        uploaded_by=songkhla.inspector,
    )  # fmt: skip
    row = with_old_name(row, "budget/2026/09/เบิกจ่าย-ตุลาคม.pdf", PDF)
    migrate("budget", "0004_random_file_names")
    assert_renamed(row, "budget/2026/09/เบิกจ่าย-ตุลาคม.pdf", PDF, "budget", ".pdf")
